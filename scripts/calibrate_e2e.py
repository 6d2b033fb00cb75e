#!/usr/bin/env python3
"""End-to-end calibration of `abctl report` under a bandit-like allocation (issue 17).

Runs N experiments through the real path: a spec applied with `abctl apply`, allocation
versions written as the allocator writes them, impressions and feedback written into
PostgreSQL's own tables as the service writes them (one impression per unit, its arm drawn
from the weights in force, a click and a purchase with known probabilities), then
`abctl report NAME --format json`. Prints, per metric, the coverage of the report's 95%
intervals and the bias of its lifts against the truth.

The design is the A/A of issue 17: the treatment's weight goes 50 %, 80 %, 95 % (the control
starved at a 5 % floor) over six hourly periods while the base rates drift down to 40 %; with
--lift the treatment's purchase and click rates are multiplied by 1 + lift.

Usage: scripts/calibrate-e2e.sh [--experiments 500] [--seed 17] [--lift 0]
(the wrapper finds the database and the abctl binary). Needs only psql.
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile

PERIODS = [0.5, 0.8, 0.95, 0.95, 0.95, 0.95]  # the treatment's weight in each period
UNITS = [1500, 1500, 1500, 1500, 1500, 1500]
DRIFT_TO = 0.4
PURCHASE = 0.05
CLICK = 0.10
START = "2026-11-20T00:00:00Z"


def psql(url, sql):
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-X", "-c", sql], check=True, capture_output=True)


def rates(period, arm, lift):
    drift = 1 + (DRIFT_TO - 1) * period / (len(PERIODS) - 1)
    factor = 1 + lift if arm == "treatment" else 1
    return PURCHASE * drift * factor, CLICK * drift * factor


def truth(metric, lift):
    """The traffic-weighted means of each arm over all periods: the report's estimand."""
    total = sum(UNITS)
    means = {}
    for arm in ("control", "treatment"):
        means[arm] = sum(n / total * rates(p, arm, lift)[0 if metric == "conversion" else 1] for p, n in enumerate(UNITS))
    return means["treatment"] - means["control"], means["treatment"] / means["control"] - 1


def spec(name):
    return f"""name: {name}
status: running
schedule:
  start: {START}
arms:
  - key: control
    strategy: popularity
    control: true
  - key: treatment
    strategy: popularity
    params: {{half_life_hours: 24}}
allocation:
  type: bandit
  policy: thompson
  reward: conversion
metrics:
  primary: conversion
  secondary: [ctr]
  attribution_window: 2h
analysis:
  sequential: false
  correction: none
"""


def log_experiment(url, name, seed, lift):
    rng = random.Random(seed)
    statements = []
    for version, weight in enumerate(PERIODS, start=1):
        weights = json.dumps({"control": 1 - weight, "treatment": weight})
        statements.append(
            f"INSERT INTO allocations (experiment, allocation_version, experiment_version, weights, policy, effective_from) "
            f"VALUES ('{name}', {version}, 1, '{weights}'::jsonb, 'thompson', timestamptz '{START}' + interval '{version - 1} hours') "
            f"ON CONFLICT (experiment, allocation_version) DO UPDATE SET weights = EXCLUDED.weights, effective_from = EXCLUDED.effective_from"
        )
    impressions, feedback = [], []
    for period, (weight, units) in enumerate(zip(PERIODS, UNITS)):
        for u in range(units):
            arm = "treatment" if rng.random() < weight else "control"
            purchase, click = rates(period, arm, lift)
            unit = f"{name}-{period}-{u}"
            request = f"md5('{unit}')::uuid"
            at = f"timestamptz '{START}' + interval '{period} hours {u % 3000} seconds'"
            propensity = weight if arm == "treatment" else 1 - weight
            impressions.append(f"({request}, '{name}', 1, '{arm}', '{unit}', ARRAY['i1','i2','i3'], ARRAY[3,2,1]::float8[], {propensity}, {period + 1}, {at})")
            if rng.random() < click:
                feedback.append(f"('c-{unit}', {request}, '{unit}', 'i1', 'click', 0, {at} + interval '30 seconds')")
            if rng.random() < purchase:
                feedback.append(f"('p-{unit}', {request}, '{unit}', 'i1', 'purchase', 20, {at} + interval '60 seconds')")
    statements.append(
        "INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at) VALUES "
        + ",".join(impressions)
    )
    if feedback:
        statements.append("INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at) VALUES " + ",".join(feedback))
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write("BEGIN;\n" + ";\n".join(statements) + ";\nCOMMIT;\n")
        path = f.name
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-X", "-f", path], check=True, capture_output=True)
    os.unlink(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--abctl", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--experiments", type=int, default=500)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--lift", type=float, default=0.0)
    args = parser.parse_args()
    environment = dict(os.environ, DATABASE_URL=args.database_url)
    folder = tempfile.mkdtemp(prefix="abctl-calibration-")
    results = {"conversion": [], "ctr": []}
    for i in range(args.experiments):
        name = f"calibration-{args.seed}-{i}"
        path = os.path.join(folder, f"{name}.yaml")
        with open(path, "w") as f:
            f.write(spec(name))
        subprocess.run([args.abctl, "apply", path], check=True, capture_output=True, env=environment)
        log_experiment(args.database_url, name, args.seed * 1_000_003 + i, args.lift)
        out = subprocess.run([args.abctl, "report", name, "--format", "json"], check=True, capture_output=True, env=environment)
        report = json.loads(out.stdout)
        assert report["analysisMethod"]["name"] == "post-stratified", report["analysisMethod"]
        for c in report["report"]["comparisons"]:
            results[c["metric"]].append(c)
        if (i + 1) % 50 == 0:
            print(f"  {i + 1} experiments", file=sys.stderr, flush=True)
    print(f"{args.experiments} experiments, lift {args.lift:+.0%}, treatment weight {PERIODS}, base rates drifting to {DRIFT_TO:.0%}")
    print("| metric | absolute coverage | relative coverage | absolute bias (SD) | relative bias (SD) | fixed rejections | untestable |")
    print("|---|---|---|---|---|---|---|")
    for metric, rows in results.items():
        absolute_truth, relative_truth = truth(metric, args.lift)
        testable = [c for c in rows if c["absoluteLift"]["interval"].get("lower") is not None]

        def covered(c, scale, t):
            interval = c[scale]["interval"]
            return interval["lower"] <= t <= interval["upper"]

        def bias(scale, t):
            errors = [c[scale]["estimate"] - t for c in testable]
            mean = sum(errors) / len(errors)
            sd = math.sqrt(sum((e - mean) ** 2 for e in errors) / (len(errors) - 1))
            return mean / sd

        n = len(testable)
        print(
            f"| {metric} | {sum(covered(c, 'absoluteLift', absolute_truth) for c in testable) / n:.1%} "
            f"| {sum(covered(c, 'relativeLift', relative_truth) for c in testable) / n:.1%} "
            f"| {bias('absoluteLift', absolute_truth):+.3f} | {bias('relativeLift', relative_truth):+.3f} "
            f"| {sum(c['pValue'] < 0.05 for c in testable) / len(rows):.1%} | {len(rows) - n} |"
        )


if __name__ == "__main__":
    main()
