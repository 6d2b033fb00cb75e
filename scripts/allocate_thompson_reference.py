"""Reference Thompson weights for Tests/StorageTests/AllocationUpdaterTests.swift and
Tests/CLITests/AllocateCommandTests.swift.

Conversion arms after the data cut-off with a Beta(1, 1) prior: 40, 50 and 60 converting
units out of 1,000 give Beta(41, 961), Beta(51, 951), Beta(61, 941); the CLI test's case is
24, 30 and 36 out of 600.
The Thompson weight of arm i is P(p_i is the largest) = ∫ f_i(x) Π_{j≠i} F_j(x) dx,
computed here with scipy 1.17's adaptive quadrature (scipy.integrate.quad) on the exact
Beta densities and CDFs (scipy.stats.beta), independently of the Swift Bandits module.

Run: python3 scripts/allocate_thompson_reference.py
"""

from scipy import integrate, stats

def probability_best(i, posteriors):
    def integrand(x):
        value = posteriors[i].pdf(x)
        for j, other in enumerate(posteriors):
            if j != i:
                value *= other.cdf(x)
        return value

    means = [p.mean() for p in posteriors]
    value, _ = integrate.quad(integrand, 0, 1, points=means, limit=500, epsabs=1e-13, epsrel=1e-12)
    return value


def case(title, arms, successes, trials):
    posteriors = [stats.beta(1 + s, 1 + trials - s) for s in successes]
    weights = [probability_best(i, posteriors) for i in range(len(arms))]
    print(title)
    for arm, w in zip(arms, weights):
        print(f"  {arm}: {w:.12f}")
    print(f"  sum: {sum(weights):.12f}")
    return weights


case("AllocationUpdaterTests: 40, 50, 60 of 1,000", ("a", "b", "c"), (40, 50, 60), 1000)

# Tests/CLITests/AllocateCommandTests.swift: experiments/checkout-thompson-three-arms.yaml with
# 24, 30, 36 converting units of 600 (control, next-item, knn). After the control's reserved
# 0.2, knn's share of the rest is 0.8 * p_knn / (p_next + p_knn); when that exceeds
# 1/3 + max_change 0.2 = 8/15, knn is capped at 8/15 and next-item gets 0.8 - 8/15 = 4/15.
w = case("AllocateCommandTests: 24, 30, 36 of 600", ("control", "next-item", "knn"), (24, 30, 36), 600)
print(f"  knn before the change limit: {0.8 * w[2] / (w[1] + w[2]):.6f} (cap 8/15 = {8 / 15:.6f})")
