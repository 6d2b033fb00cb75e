#!/usr/bin/env python3
"""Reference counts for Tests/EngineTests/AssignmentPropertyTests.swift, computed with the
reference xxHash C library (libxxhash 0.8 via ctypes) and the hashing rules of docs/spec.md:
experiment "weights" (arms 0.2 / 0.3 / 0.5, salt "weights") against experiment "y"
(arms 0.5 / 0.5, salt "y", alone in layer "y" with share 1) over unit ids user-0 … user-999999.
Prints the 3×2 contingency table and scipy's chi-square test of independence.

Usage: python3 scripts/assignment_contingency.py
"""
import ctypes

from scipy.stats import chi2, chi2_contingency

lib = ctypes.CDLL("libxxhash.so.0")
lib.XXH64.restype = ctypes.c_uint64
lib.XXH64.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint64]


def bucket(salt: str, unit: str) -> float:
    seed = lib.XXH64(salt.encode(), len(salt.encode()), 0)
    return (lib.XXH64(unit.encode(), len(unit.encode()), seed) >> 11) * 2.0**-53


def arm(b: float, weights) -> int:
    upper = 0.0
    for i, w in enumerate(weights):
        upper += w
        if b < upper:
            return i
    return len(weights) - 1


table = [[0, 0], [0, 0], [0, 0]]
for i in range(1_000_000):
    unit = f"user-{i}"
    table[arm(bucket("weights", unit), [0.2, 0.3, 0.5])][arm(bucket("y", unit), [0.5, 0.5])] += 1
statistic, p, df, _ = chi2_contingency(table, correction=False)
print("table", table)
print(f"chi2 {statistic:.6f} p {p:.6f} df {df} critical(0.999) {chi2.ppf(0.999, df):.6f}")
