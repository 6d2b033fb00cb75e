"""DuckDB beside abctl's declared metrics (scripts/bench-outcome-metrics.sh): from the CSV
export of impressions and outcome events, the per-arm values of `revenue` (sum of order
values in [first exposure, + 7 days)), `purchased` (any order in that window) and `aov`
(Σ revenue / Σ orders), computed from their definitions in docs/metrics.md, timed, and
checked equal to the pooled means and units of abctl's JSON reports (full and maintained).

Usage: python3 scripts/bench_outcome_metrics_peer.py WORK_DIR
"""

import json
import math
import sys
import time

import duckdb

work = sys.argv[1]
con = duckdb.connect()
start = time.perf_counter()
rows = con.execute(
    f"""
    WITH exposures AS (
        SELECT arm, unit_id, min(created_at::TIMESTAMPTZ) AS first_seen
        FROM read_csv_auto('{work}/impressions.csv') GROUP BY arm, unit_id
    ),
    orders AS (
        SELECT unit_id, value, created_at::TIMESTAMPTZ AS created_at
        FROM read_csv_auto('{work}/outcomes.csv') WHERE event_type = 'order'
    ),
    per_unit AS (
        SELECT x.arm, x.unit_id, count(o.unit_id) AS n, coalesce(sum(coalesce(o.value, 0)), 0) AS total
        FROM exposures x LEFT JOIN orders o
          ON o.unit_id = x.unit_id AND o.created_at >= x.first_seen AND o.created_at < x.first_seen + INTERVAL 7 DAY
        GROUP BY x.arm, x.unit_id
    )
    SELECT arm, count(*) AS units, sum(total) / count(*) AS revenue,
           avg(CASE WHEN n > 0 THEN 1.0 ELSE 0.0 END) AS purchased, sum(total) / sum(n) AS aov
    FROM per_unit GROUP BY arm ORDER BY arm
    """
).fetchall()
seconds = time.perf_counter() - start
peer = {arm: {"units": units, "revenue": revenue, "purchased": purchased, "aov": aov} for arm, units, revenue, purchased, aov in rows}

mismatches = []
for path in ("full", "kept"):
    for metric in ("revenue", "purchased", "aov"):
        with open(f"{work}/{path}-{metric}.json") as file:
            report = json.load(file)
        for summary in report["armSummaries"][metric]:
            want = peer[summary["arm"]]
            if summary["units"] != want["units"] or not math.isclose(summary["pooledMean"], want[metric], rel_tol=1e-9):
                mismatches.append(f"{path} {metric} {summary['arm']}: abctl {summary['units']} units, {summary['pooledMean']}; DuckDB {want}")
print(f"DuckDB {duckdb.__version__}: per-arm revenue, purchased, aov from the CSV export in {seconds:.3f} s")
for arm, values in peer.items():
    print(f"  {arm}: {values}")
if mismatches:
    print("MISMATCH:\n  " + "\n  ".join(mismatches))
    sys.exit(1)
print("abctl (full and maintained) and DuckDB agree on every arm's units and values (relative tolerance 1e-9)")
