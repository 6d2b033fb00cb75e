#!/usr/bin/env python3
"""Peer timing for Benchmarks/Sources/abctl-bench/StatsBench.swift: gbstats 0.8.0 running the
closest equivalent of one abctl comparison (fixed-horizon t test on the absolute and relative
lift, sequential test on both, normal-posterior Bayesian test) on the same inputs.
Prints one JSON object: median microseconds per comparison for each metric kind.
Run with an interpreter that has gbstats (see scripts/stats_reference.py):
  /tmp/gbvenv/bin/python3 scripts/stats_bench_peer.py"""
import json
import statistics
import sys
import time

from gbstats.bayesian.tests import EffectBayesianABTest, EffectBayesianConfig
from gbstats.frequentist.tests import FrequentistConfig, SequentialConfig, SequentialTwoSidedTTest, TwoSidedTTest
from gbstats.models.statistics import (ProportionStatistic, RatioStatistic, RegressionAdjustedStatistic,
                                       SampleMeanStatistic)


def cuped(n, sx, sxx, sz, szz, sxz):
    return RegressionAdjustedStatistic(n=n, post_statistic=SampleMeanStatistic(n=n, sum=sx, sum_squares=sxx),
                                       pre_statistic=SampleMeanStatistic(n=n, sum=sz, sum_squares=szz),
                                       post_pre_sum_of_products=sxz, theta=0)


def full(a, b):
    for scale in ("absolute", "relative"):
        TwoSidedTTest(a, b, FrequentistConfig(difference_type=scale)).compute_result()
        SequentialTwoSidedTTest(a, b, SequentialConfig(difference_type=scale)).compute_result()
    EffectBayesianABTest(a, b, EffectBayesianConfig(difference_type="absolute")).compute_result()


def main():
    # The inputs of StatsBench.swift.
    cases = {
        "proportion": (ProportionStatistic(n=20000, sum=2000), ProportionStatistic(n=20000, sum=2110)),
        "mean": (SampleMeanStatistic(n=5000, sum=50000, sum_squares=579984),
                 SampleMeanStatistic(n=5100, sum=52275, sum_squares=630099.26)),
        "ratio": (RatioStatistic(n=8000, m_statistic=SampleMeanStatistic(n=8000, sum=7200, sum_squares=22158.04),
                                 d_statistic=SampleMeanStatistic(n=8000, sum=96000, sum_squares=1799919),
                                 m_d_sum_of_products=146872.44),
                  RatioStatistic(n=8100, m_statistic=SampleMeanStatistic(n=8100, sum=7857, sum_squares=25844.04),
                                 d_statistic=SampleMeanStatistic(n=8100, sum=98820, sum_squares=1906086.51),
                                 m_d_sum_of_products=165903.651)),
        "mean+CUPED": (cuped(6000, 60000, 695984, 57000, 628125.56, 633829.36),
                       cuped(6050, 62315, 743528.19, 58080, 649573.29, 667864.9272)),
    }
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    out = {}
    for name, (a, b) in cases.items():
        samples = []
        for _ in range(7):
            t0 = time.perf_counter()
            for _ in range(reps):
                full(a, b)
            samples.append((time.perf_counter() - t0) / reps * 1e6)
        out[name] = statistics.median(samples)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
