#!/usr/bin/env python3
"""Reference values for Tests/StatsTests/PostStratificationTests.swift, from the formulas of
docs/statistics.md ("Adaptive allocation") written out unit by unit in plain Python, with no
code of abctl's: per-arm means post-stratified on the allocation period (weights = the
period's share of all units), cell variances shrunk toward the period's pooled variance
(kappa = 100), the delta method for ratio metrics, relative lift with its second-order bias
correction and the log-scale interval.  Run: python3 scripts/stats_poststratification_reference.py
"""
import math

KAPPA = 100.0
Z = 1.959963984540054  # scipy.stats.norm.ppf(0.975)


def moments(units):
    n = len(units)
    xs = [x for x, _ in units]
    ys = [y for _, y in units]
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs) / (n - 1)
    syy = sum((y - my) ** 2 for y in ys) / (n - 1)
    sxy = sum((x - mx) * (y - my) for x, y in units) / (n - 1)
    return n, mx, my, sxx, syy, sxy


def estimate(cells, arms, periods):
    """cells[(arm, period)] = list of (x, y) per unit; y = 1 for plain means."""
    size = {p: sum(len(cells[(a, p)]) for a in arms) for p in periods}
    total = sum(size.values())
    mean, denom = {}, {}
    for a in arms:
        x = sum(size[p] / total * moments(cells[(a, p)])[1] for p in periods)
        y = sum(size[p] / total * moments(cells[(a, p)])[2] for p in periods)
        mean[a], denom[a] = x / y, y
    variance = {}
    for a in arms:
        v_total = 0.0
        for p in periods:
            def residual(b):
                n, _, _, sxx, syy, sxy = moments(cells[(b, p)])
                return max(0.0, sxx - 2 * mean[b] * sxy + mean[b] ** 2 * syy)
            pooled = sum((len(cells[(b, p)]) - 1) * residual(b) for b in arms) / sum(len(cells[(b, p)]) - 1 for b in arms)
            n = len(cells[(a, p)])
            shrunk = ((n - 1) * residual(a) + KAPPA * pooled) / (n - 1 + KAPPA)
            v_total += (size[p] / total) ** 2 * shrunk / n
        variance[a] = v_total / denom[a] ** 2
    return mean, variance


def report(name, cells):
    mean, var = estimate(cells, ["control", "treatment"], [1, 2])
    ma, mb, va, vb = mean["control"], mean["treatment"], var["control"], var["treatment"]
    print(name)
    print(f"  means     control {ma!r} treatment {mb!r}")
    print(f"  variances control {va!r} treatment {vb!r}")
    print(f"  absolute  {mb - ma!r} variance {va + vb!r}")
    print(f"  relative  {mb / ma / (1 + va / ma ** 2) - 1!r} variance {vb / ma ** 2 + mb ** 2 * va / ma ** 4!r}")
    s = math.sqrt(vb / mb ** 2 + va / ma ** 2)
    lr = math.log(mb / ma)
    print(f"  log-scale interval [{math.exp(lr - Z * s) - 1!r}, {math.exp(lr + Z * s) - 1!r}]")


def ones(values):
    return [(v, 1.0) for v in values]


report("mean", {
    ("control", 1): ones([1, 0, 0, 1]), ("treatment", 1): ones([1, 1, 0, 1, 0, 1]),
    ("control", 2): ones([0, 0]), ("treatment", 2): ones([1, 0, 0, 0, 0, 0, 0, 1]),
})
report("ratio", {
    ("control", 1): [(1, 2), (0, 1), (2, 3)], ("treatment", 1): [(1, 1), (0, 2), (1, 2), (0, 1)],
    ("control", 2): [(0, 1), (1, 1)], ("treatment", 2): [(1, 3), (2, 2), (0, 1), (1, 1), (0, 2), (1, 1)],
})


def conversions(n, x):
    return ones([1] * x + [0] * (n - x))


# The bandit fixture of Tests/ReportingTests/BanditAnalysisTests.swift: period 1 (90/10)
# control 4,500/9,000, treatment 550/1,000; period 2 (10/90) control 100/1,000, treatment 990/9,000.
bandit = {
    ("control", 1): conversions(9000, 4500), ("treatment", 1): conversions(1000, 550),
    ("control", 2): conversions(1000, 100), ("treatment", 2): conversions(9000, 990),
}
report("bandit fixture", bandit)
mean, var = estimate(bandit, ["control", "treatment"], [1, 2])
d = mean["treatment"] - mean["control"]
sd = math.sqrt(var["control"] + var["treatment"])
phi = lambda z: math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
cdf = lambda z: 0.5 * math.erfc(-z / math.sqrt(2))
print(f"  absolute interval [{d - Z * sd!r}, {d + Z * sd!r}] p {2 * cdf(-abs(d) / sd)!r}")
print(f"  P(beat) {cdf(d / sd)!r} expected loss {sd * phi(d / sd) - d * cdf(-d / sd)!r}")
print(f"  control mean interval [{mean['control'] - Z * math.sqrt(var['control'])!r}, {mean['control'] + Z * math.sqrt(var['control'])!r}]")
# Its cumulative lift on day 1 (period 1 only).
mean1, var1 = estimate(bandit, ["control", "treatment"], [1])
print(f"  day 1 relative {mean1['treatment'] / mean1['control'] / (1 + var1['control'] / mean1['control'] ** 2) - 1!r}")
s = math.sqrt(var["treatment"] / mean["treatment"] ** 2 + var["control"] / mean["control"] ** 2)
print(f"  log-scale p {2 * cdf(-abs(math.log(mean['treatment'] / mean['control'])) / s)!r}")
print(f"  treatment mean interval [{mean['treatment'] - Z * math.sqrt(var['treatment'])!r}, {mean['treatment'] + Z * math.sqrt(var['treatment'])!r}]")
