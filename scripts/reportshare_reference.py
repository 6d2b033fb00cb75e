"""Reference values for the shared report (Tests/ReportingTests, Tests/ServerTests/Dashboard*).

The bandit fixture of Tests/CLITests/ReportBanditTests.swift: two allocation periods in
which treatment converts better in each (+5 and +1 points, +10% relative in each) while
the pooled rates point the other way (Simpson's paradox).

Per-period weighting (docs/statistics.md, "Changing allocations"): lift per period, combined
with period-size weights w_p = units_p / units; Var = sum w_p^2 V_p; z test. The relative
lift's variance is the delta method: V_b / m_a^2 + m_b^2 V_a / m_a^4, with V = p(1-p)/n.

Run: python3 scripts/reportshare_reference.py   (numpy 2.4, scipy 1.17)
"""

from scipy.stats import norm

periods = [  # (control units, control conversions, treatment units, treatment conversions)
    (9000, 4500, 1000, 550),
    (1000, 100, 9000, 990),
]
z95 = norm.ppf(0.975)
total = sum(a + b for a, _, b, _ in periods)


def combine(lift_and_variance):
    est = var = 0.0
    for (a, _, b, _), (lift, v) in zip(periods, lift_and_variance):
        w = (a + b) / total
        est += w * lift
        var += w * w * v
    return est, var ** 0.5


absolute, relative = [], []
for na, xa, nb, xb in periods:
    pa, pb = xa / na, xb / nb
    va, vb = pa * (1 - pa) / na, pb * (1 - pb) / nb
    absolute.append((pb - pa, va + vb))
    relative.append(((pb - pa) / pa, vb / pa**2 + pb**2 * va / pa**4))

est, se = combine(absolute)
print(f"per-period absolute lift {est:.6f} CI [{est - z95 * se:.6f}, {est + z95 * se:.6f}] p {2 * norm.sf(abs(est / se)):.7f}")
est, se = combine(relative)
print(f"per-period relative lift {est:.6f} CI [{est - z95 * se:.6f}, {est + z95 * se:.6f}]")

for arm, n, x in [("control", 10000, 4600), ("treatment", 10000, 1540)]:
    p = x / n
    half = z95 * (p * (1 - p) / n) ** 0.5
    print(f"pooled {arm}: mean {p:.4f} CI [{p - half:.6f}, {p + half:.6f}]")
pa, pb = 0.46, 0.154
print(f"pooled relative lift {(pb - pa) / pa:+.4%}")

# Bayesian summary of the combined absolute lift (normal posterior, flat prior: N(Δ, V)):
# P(Δ > 0) = Φ(Δ/σ); expected loss of shipping E[max(−Δ, 0)] = σφ(Δ/σ) − ΔΦ(−Δ/σ).
est, se = combine(absolute)
print(f"chance to beat control {norm.cdf(est / se):.6f}, expected loss {se * norm.pdf(est / se) - est * norm.cdf(-est / se):.4e}")
