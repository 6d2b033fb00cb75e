#!/usr/bin/env python3
"""Reference P(arm i has the largest mean) for independent Beta and Normal posteriors,
by adaptive quadrature (scipy.integrate.quad, tolerance 1e-12) of
P_i = integral of f_i(x) * prod_{j != i} F_j(x) dx, for Tests/BanditsTests/ThompsonExactTests.swift.

    python3 scripts/bandits_thompson_reference.py     # scipy 1.17
"""
import scipy
from scipy import integrate, stats


def p_best(dists, lower, upper, points):
    out = []
    for i, d in enumerate(dists):
        def integrand(x, i=i, d=d):
            value = d.pdf(x)
            for j, other in enumerate(dists):
                if j != i:
                    value *= other.cdf(x)
            return value
        value, _ = integrate.quad(integrand, lower, upper, epsabs=1e-13, epsrel=1e-12, limit=500, points=points)
        out.append(value)
    return out


print(f"scipy {scipy.__version__}")
# Beta(1 + s, 1 + n - s) posteriors of (successes, trials) = (40, 1000), (55, 1000), (50, 900).
betas = [stats.beta(1 + s, 1 + n - s) for s, n in [(40, 1000), (55, 1000), (50, 900)]]
print("beta3", [f"{p:.10f}" for p in p_best(betas, 0, 1, [0.03, 0.04, 0.05, 0.06, 0.07, 0.08])])
# Jeffreys prior Beta(0.5, 0.5) with (0, 20), (1, 20), (0, 5): unbounded densities at 0.
jeffreys = [stats.beta(0.5 + s, 0.5 + n - s) for s, n in [(0, 20), (1, 20), (0, 5)]]
print("jeffreys3", [f"{p:.10f}" for p in p_best(jeffreys, 0, 1, [1e-6, 1e-4, 0.01, 0.05, 0.1, 0.3])])
# Normal posteriors N(1, 0.2²), N(1.1, 0.3²), N(0.9, 0.05²), N(1.05, 0.1²).
normals = [stats.norm(m, s) for m, s in [(1, 0.2), (1.1, 0.3), (0.9, 0.05), (1.05, 0.1)]]
print("normal4", [f"{p:.10f}" for p in p_best(normals, -2, 4, [0.8, 0.9, 1.0, 1.1, 1.2])])
