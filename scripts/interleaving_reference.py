#!/usr/bin/env python3
"""Reference values for the interleaving report (Tests/CLITests/InterleavingReportTests.swift).

Preference share with a Wilson score interval (scipy 1.17 `binomtest(...).proportion_ci(method="wilson")`),
the two-sided exact sign test with ties excluded (scipy 1.17 `binomtest(k, n, 0.5)`), and Holm's
adjustment across pairs (statsmodels 0.15 `multipletests(method="holm")`).

Run: python3 scripts/interleaving_reference.py
"""
from scipy.stats import binomtest
from statsmodels.stats.multitest import multipletests


def preference(wins, losses, confidence=0.95):
    test = binomtest(wins, wins + losses, 0.5, alternative="two-sided")
    ci = test.proportion_ci(confidence_level=confidence, method="wilson")
    return wins / (wins + losses), ci.low, ci.high, test.pvalue


print("two arms: als preferred by 60 units, pop by 40, 20 ties")
for name, (w, l) in {"als over pop": (60, 40), "pop over als": (40, 60)}.items():
    share, low, high, p = preference(w, l)
    print(f"  {name}: share {share!r} wilson [{float(low)!r}, {float(high)!r}] sign p {float(p)!r}")

print("three arms (x, y, z), pairs (x,y) 30-10, (x,z) 12-8, (y,z) 5-15; Holm across the 3 pairs")
pairs = {"x-y": (30, 10), "x-z": (12, 8), "y-z": (5, 15)}
raw = [preference(w, l)[3] for w, l in pairs.values()]
holm = multipletests(raw, method="holm")[1]
for (name, _), p, adjusted in zip(pairs.items(), raw, holm):
    print(f"  {name}: sign p {float(p)!r} holm {float(adjusted)!r}")
