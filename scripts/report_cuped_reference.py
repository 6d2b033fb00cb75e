"""Reference values for Tests/CLITests/ReportCUPEDTests.swift: CUPED on revenue per unit
with each unit's pre-period revenue as covariate, computed with numpy 2.4 / scipy 1.17.

The dataset (the test logs exactly this through abctl's schema), for arm in control,
treatment and i = 1..40, unit "<arm>-<i>":
  s   = 0 for control, 2 for treatment
  z_i = 5 * ((i + s) % 7)                        pre-period revenue (one purchase interaction
                                                 two days before the start when z_i > 0)
  x_i = z_i + 3 * ((i * i) % 5) + (2 if treatment)  in-experiment revenue (one purchase one
                                                 minute after the unit's impression when x_i > 0)
Interactions that must not count: a purchase worth 1000 twenty days before the start (outside
the 14-day pre-period) for i % 5 == 0, and a click worth 7 inside it for every unit.

CUPED as Deng et al. (2013) and gbstats: theta = cov(x, z) / var(z) over both arms pooled
(sample moments, n - 1), per arm mean x - theta * z_mean and variance
var(x) + theta^2 var(z) - 2 theta cov(x, z); Welch t test on the adjusted means; the relative
lift divides by the control's unadjusted mean.
"""

import numpy as np
from scipy import stats


def arm(treatment: bool):
    i = np.arange(1, 41)
    z = 5.0 * ((i + (2 if treatment else 0)) % 7)
    x = z + 3.0 * ((i * i) % 5) + (2.0 if treatment else 0.0)
    return x, z


xa, za = arm(False)
xb, zb = arm(True)
x = np.concatenate([xa, xb])
z = np.concatenate([za, zb])
theta = np.cov(x, z, ddof=1)[0, 1] / np.var(z, ddof=1)


def adjusted(xs, zs):
    c = np.cov(xs, zs, ddof=1)
    return xs.mean() - theta * zs.mean(), c[0, 0] + theta**2 * c[1, 1] - 2 * theta * c[0, 1], c[0, 0]


ma, va, ua = adjusted(xa, za)
mb, vb, ub = adjusted(xb, zb)
n = 40.0
lift = mb - ma
var_adj = va / n + vb / n
var_raw = ua / n + ub / n
df = var_adj**2 / ((va / n) ** 2 / (n - 1) + (vb / n) ** 2 / (n - 1))
t = lift / np.sqrt(var_adj)
p = 2 * stats.t.sf(abs(t), df)
print(f"theta              = {theta:.12f}")
print(f"control mean (raw) = {xa.mean():.12f}")
print(f"unadjusted lift    = {xb.mean() - xa.mean():.12f}")
print(f"absolute lift      = {lift:.12f}")
print(f"relative lift      = {lift / xa.mean():.12f}")
print(f"p (Welch, adj.)    = {p:.12g}")
print(f"variance reduction = {1 - var_adj / var_raw:.12f}")
