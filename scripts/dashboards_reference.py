#!/usr/bin/env python3
"""Reference values for Tests/StorageTests/DashboardSQLTests.swift (scipy 1.17).

The SQL of sql/0004_dashboards.sql computes the sample-ratio-mismatch p-value with
abctl_chi_squared_survival; these are scipy.stats.chi2.sf at the same points, and the
p-value of the test's hand-built experiment (observed 3 and 3 units against expected 2.1
and 3.9: periods of 3 units each at weights 0.5/0.5 and 0.2/0.8)."""
from scipy.stats import chi2

points = [(0.5, 1), (3.2, 1), (3.2, 2), (7.5, 3), (12.0, 4), (12.0, 5), (20.0, 7), (1.0, 10), (40.0, 9)]
for x, df in points:
    print(f"({x}, {df}, {float(chi2.sf(x, df))!r}),")

chi_square = (3 - 2.1) ** 2 / 2.1 + (3 - 3.9) ** 2 / 3.9
print("srm", repr(chi_square), repr(float(chi2.sf(chi_square, 1))))
