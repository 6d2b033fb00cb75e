"""Reference Thompson weights for Tests/StorageTests/AllocationUpdaterTests.swift.

Three conversion arms after the data cut-off: 40, 50 and 60 converting units out of 1,000
each, Beta(1, 1) prior, so the posteriors are Beta(41, 961), Beta(51, 951), Beta(61, 941).
The Thompson weight of arm i is P(p_i is the largest) = ∫ f_i(x) Π_{j≠i} F_j(x) dx,
computed here with scipy 1.17's adaptive quadrature (scipy.integrate.quad) on the exact
Beta densities and CDFs (scipy.stats.beta), independently of the Swift Bandits module.

Run: python3 scripts/allocate_thompson_reference.py
"""

from scipy import integrate, stats

posteriors = [stats.beta(1 + s, 1 + 1000 - s) for s in (40, 50, 60)]


def probability_best(i):
    def integrand(x):
        value = posteriors[i].pdf(x)
        for j, other in enumerate(posteriors):
            if j != i:
                value *= other.cdf(x)
        return value

    value, _ = integrate.quad(integrand, 0, 1, points=[0.04, 0.05, 0.06], limit=500, epsabs=1e-13, epsrel=1e-12)
    return value


weights = [probability_best(i) for i in range(3)]
for arm, w in zip(("a", "b", "c"), weights):
    print(f"{arm}: {w:.12f}")
print(f"sum: {sum(weights):.12f}")
