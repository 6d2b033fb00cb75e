#!/usr/bin/env python3
"""gbstats 0.8.0 reference values for the Stats tests; printed as JSON on stdout.
Run by scripts/stats_reference.py in an interpreter where gbstats is installed (see there)."""
import json
import math

import gbstats
from gbstats.bayesian.tests import EffectBayesianABTest, EffectBayesianConfig, GaussianPrior
from gbstats.frequentist.tests import FrequentistConfig, SequentialConfig, SequentialTwoSidedTTest, TwoSidedTTest
from gbstats.gbstats import check_srm
from gbstats.models.statistics import (ProportionStatistic, RatioStatistic, RegressionAdjustedStatistic,
                                       SampleMeanStatistic, compute_theta)

from stats_reference_inputs import CUPED_CASES, MEAN_CASES, PROPORTION_CASES, RATIO_CASES


def mean_stat(a):
    return SampleMeanStatistic(n=a["count"], sum=a["sum"], sum_squares=a["sumOfSquares"])


def prop_stat(a):
    return ProportionStatistic(n=a["count"], sum=a["sum"])


def ratio_stat(a):
    m = SampleMeanStatistic(n=a["count"], sum=a["sum"], sum_squares=a["sumOfSquares"])
    d = SampleMeanStatistic(n=a["count"], sum=a["denominatorSum"], sum_squares=a["denominatorSumOfSquares"])
    return RatioStatistic(n=a["count"], m_statistic=m, d_statistic=d, m_d_sum_of_products=a["crossProductSum"])


def cuped_stat(a):
    post = mean_stat(a["metric"])
    pre = SampleMeanStatistic(n=a["metric"]["count"], sum=a["covariate"]["sum"], sum_squares=a["covariate"]["sumOfSquares"])
    return RegressionAdjustedStatistic(n=a["metric"]["count"], post_statistic=post, pre_statistic=pre,
                                       post_pre_sum_of_products=a["covariate"]["crossProductSum"], theta=0)


def fin(x):
    return x if math.isfinite(x) else None


def ttest(sa, sb, scale):
    r = TwoSidedTTest(sa, sb, FrequentistConfig(difference_type=scale)).compute_result()
    return {"estimate": r.expected, "interval": [fin(r.ci[0]), fin(r.ci[1])], "pValue": r.p_value,
            "standardError": r.uplift.stddev}


def sequential(sa, sb, scale, tuning):
    cfg = SequentialConfig(difference_type=scale, sequential_tuning_parameter=tuning)
    r = SequentialTwoSidedTTest(sa, sb, cfg).compute_result()
    return {"estimate": r.expected, "interval": [r.ci[0], r.ci[1]], "pValue": r.p_value}


def posterior(sa, sb, scale, prior):
    cfg = EffectBayesianConfig(difference_type=scale, prior_type=scale,
                               prior_effect=prior or GaussianPrior())
    r = EffectBayesianABTest(sa, sb, cfg).compute_result()
    return {"posteriorMean": r.expected, "posteriorStandardDeviation": r.uplift.stddev,
            "chanceToBeatControl": r.chance_to_win, "interval": r.ci,
            "expectedLossOfControl": r.risk[0], "expectedLoss": r.risk[1]}


def main():
    out = {"version": gbstats.__version__ if hasattr(gbstats, "__version__") else "0.8.0"}
    out["welch"] = [{"name": c["name"], "control": c["control"], "treatment": c["treatment"],
                     "relative": ttest(mean_stat(c["control"]), mean_stat(c["treatment"]), "relative"),
                     "absolute": ttest(mean_stat(c["control"]), mean_stat(c["treatment"]), "absolute")}
                    for c in MEAN_CASES]
    out["ratio"] = []
    for c in RATIO_CASES:
        sa, sb = ratio_stat(c["control"]), ratio_stat(c["treatment"])
        out["ratio"].append({"name": c["name"], "control": c["control"], "treatment": c["treatment"],
                             "controlMean": sa.mean, "controlVariance": sa.variance,
                             "treatmentMean": sb.mean, "treatmentVariance": sb.variance,
                             "relative": ttest(sa, sb, "relative"), "absolute": ttest(sa, sb, "absolute")})
    out["cuped"] = []
    for c in CUPED_CASES:
        theta = compute_theta(cuped_stat(c["control"]), cuped_stat(c["treatment"]))
        out["cuped"].append({"name": c["name"], "control": c["control"], "treatment": c["treatment"], "theta": theta,
                             "relative": ttest(cuped_stat(c["control"]), cuped_stat(c["treatment"]), "relative"),
                             "absolute": ttest(cuped_stat(c["control"]), cuped_stat(c["treatment"]), "absolute")})
    out["sequential"] = []
    for kind, cases, make in [("mean", MEAN_CASES, mean_stat), ("proportion", PROPORTION_CASES, prop_stat)]:
        for c in cases:
            for tuning in [5000.0, 20000.0]:
                out["sequential"].append({
                    "name": c["name"], "kind": kind, "tuning": tuning, "control": c["control"], "treatment": c["treatment"],
                    "relative": sequential(make(c["control"]), make(c["treatment"]), "relative", tuning),
                    "absolute": sequential(make(c["control"]), make(c["treatment"]), "absolute", tuning)})
    out["normalPosterior"] = []
    for c in MEAN_CASES:
        sa, sb = mean_stat(c["control"]), mean_stat(c["treatment"])
        out["normalPosterior"].append({
            "name": c["name"], "control": c["control"], "treatment": c["treatment"],
            "relativeFlat": posterior(sa, sb, "relative", None),
            "absoluteFlat": posterior(sa, sb, "absolute", None),
            "relativeProper": posterior(sa, sb, "relative", GaussianPrior(mean=0.01, variance=0.0004, proper=True)),
            "priorMean": 0.01, "priorVariance": 0.0004})
    out["srm"] = [{"users": u, "weights": w, "pValue": check_srm(u, w)}
                  for u, w in [([50050, 49950], [0.5, 0.5]), ([52000, 48000], [0.5, 0.5]),
                               ([3310, 3402, 3288], [1 / 3, 1 / 3, 1 / 3]), ([900, 2100], [0.3, 0.7])]]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
