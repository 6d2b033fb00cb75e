"""Per-arm sufficient statistics shared by scripts/stats_reference.py and
scripts/stats_reference_gbstats.py, built from stated moments so the inputs are exact and do not
depend on any random number generator. Sums use the sample (n - 1) variance convention."""


def mean_arm(n, mean, sd):
    s = n * mean
    return {"count": n, "sum": s, "sumOfSquares": (n - 1) * sd * sd + s * s / n}


def ratio_arm(n, mean_x, sd_x, mean_y, sd_y, corr):
    """A ratio metric (x = clicks per unit, y = impressions per unit)."""
    arm = mean_arm(n, mean_x, sd_x)
    sy = n * mean_y
    arm["denominatorSum"] = sy
    arm["denominatorSumOfSquares"] = (n - 1) * sd_y * sd_y + sy * sy / n
    arm["crossProductSum"] = (n - 1) * corr * sd_x * sd_y + arm["sum"] * sy / n
    return arm


def cuped_arm(n, mean_x, sd_x, mean_z, sd_z, corr):
    """A metric x with pre-period covariate z."""
    arm = mean_arm(n, mean_x, sd_x)
    sz = n * mean_z
    cov = {"sum": sz, "sumOfSquares": (n - 1) * sd_z * sd_z + sz * sz / n,
           "crossProductSum": (n - 1) * corr * sd_x * sd_z + arm["sum"] * sz / n}
    return {"metric": arm, "covariate": cov}


MEAN_CASES = [
    {"name": "revenue", "control": mean_arm(5000, 10.0, 4.0), "treatment": mean_arm(5100, 10.25, 4.3)},
    {"name": "small", "control": mean_arm(12, 3.1, 1.2), "treatment": mean_arm(9, 4.0, 2.5)},
    {"name": "negative", "control": mean_arm(20000, 0.52, 1.9), "treatment": mean_arm(19800, 0.50, 1.85)},
]

PROPORTION_CASES = [
    {"name": "conversion", "control": {"count": 20000, "sum": 2000}, "treatment": {"count": 20000, "sum": 2110}},
    {"name": "small", "control": {"count": 150, "sum": 12}, "treatment": {"count": 160, "sum": 21}},
    {"name": "worse", "control": {"count": 50000, "sum": 2500}, "treatment": {"count": 49800, "sum": 2380}},
]

RATIO_CASES = [
    {"name": "ctr", "control": ratio_arm(8000, 0.9, 1.4, 12.0, 9.0, 0.6),
     "treatment": ratio_arm(8100, 0.97, 1.5, 12.2, 9.3, 0.62)},
    {"name": "ndcg", "control": ratio_arm(3000, 1.7, 1.1, 5.0, 3.0, 0.8),
     "treatment": ratio_arm(2950, 1.66, 1.05, 4.8, 2.9, 0.79)},
]

CUPED_CASES = [
    {"name": "revenue-pre", "control": cuped_arm(6000, 10.0, 4.0, 9.5, 3.8, 0.7),
     "treatment": cuped_arm(6050, 10.3, 4.1, 9.6, 3.9, 0.72)},
    {"name": "weak-covariate", "control": cuped_arm(1500, 2.0, 1.5, 1.0, 0.5, 0.1),
     "treatment": cuped_arm(1480, 2.1, 1.6, 1.02, 0.5, 0.12)},
]
