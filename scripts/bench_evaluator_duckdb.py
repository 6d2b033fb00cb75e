#!/usr/bin/env python3
"""The peer of scripts/bench-evaluator.sh: DuckDB computes the report's per-arm values
(units, conversion, CTR, NDCG@K under the spec's attribution window and the default linear
gains click 1, add_to_cart 2, purchase 3) from a Parquet export of the same impressions and
feedback, and they are checked against `abctl report --format json` (a single allocation
period, so the report's means are the pooled ones).

Usage: bench_evaluator_duckdb.py IMPRESSIONS.csv FEEDBACK.csv WINDOW_SECONDS K REPORT.json
Prints one line: "<median seconds of 3 runs> <largest |difference| from the report>".
Writing the Parquet files is not timed (an export is a one-off); the query over them is.
"""
import json
import statistics
import sys
import tempfile
import time

import duckdb

impressions_csv, feedback_csv, window, k, report_path = sys.argv[1:6]
window, k = int(window), int(k)
work = tempfile.mkdtemp(prefix="abctl-duckdb-")
db = duckdb.connect()
db.execute(f"""
    COPY (SELECT request_id, arm, unit_id, string_split(trim(item_ids, '{{}}'), ',') AS item_ids, created_at
          FROM read_csv('{impressions_csv}', header = false,
                        columns = {{'request_id': 'VARCHAR', 'arm': 'VARCHAR', 'unit_id': 'VARCHAR',
                                    'item_ids': 'VARCHAR', 'created_at': 'TIMESTAMP'}}))
    TO '{work}/impressions.parquet' (FORMAT parquet)""")
db.execute(f"""
    COPY (SELECT * FROM read_csv('{feedback_csv}', header = false,
                                 columns = {{'request_id': 'VARCHAR', 'item_id': 'VARCHAR', 'event_type': 'VARCHAR',
                                             'created_at': 'TIMESTAMP'}}))
    TO '{work}/feedback.parquet' (FORMAT parquet)""")

QUERY = f"""
WITH imp AS (SELECT * FROM read_parquet('{work}/impressions.parquet')),
fb AS (SELECT * FROM read_parquet('{work}/feedback.parquet')),
attributed AS (
    SELECT i.request_id, f.item_id, f.event_type, list_position(i.item_ids, f.item_id) AS pos,
           CASE f.event_type WHEN 'click' THEN 1 WHEN 'add_to_cart' THEN 2 WHEN 'purchase' THEN 3 ELSE 0 END AS r
    FROM imp i JOIN fb f ON f.request_id = i.request_id
        AND f.created_at >= i.created_at AND f.created_at <= i.created_at + INTERVAL {window} SECOND
),
judged AS (
    SELECT request_id, item_id, min(pos) AS pos, max(r) AS r
    FROM attributed WHERE pos IS NOT NULL GROUP BY request_id, item_id HAVING max(r) > 0
),
ranked AS (SELECT *, row_number() OVER (PARTITION BY request_id ORDER BY r DESC, pos) AS ideal FROM judged),
per_impression AS (
    SELECT request_id,
           sum(CASE WHEN pos <= {k} THEN r / log2(pos + 1) ELSE 0 END) AS dcg,
           sum(CASE WHEN ideal <= {k} THEN r / log2(ideal + 1) ELSE 0 END) AS idcg
    FROM ranked GROUP BY request_id
),
events AS (
    SELECT request_id, count(*) FILTER (WHERE event_type = 'click') AS clicks,
           count(*) FILTER (WHERE event_type = 'purchase') AS purchases
    FROM attributed GROUP BY request_id
),
per_unit AS (
    SELECT i.arm, i.unit_id, count(*) AS n, sum(coalesce(e.clicks, 0)) AS clicks,
           sum(CASE WHEN p.idcg > 0 THEN p.dcg / p.idcg ELSE 0 END) AS ndcg,
           max(coalesce(e.purchases, 0)) > 0 AS converted
    FROM imp i LEFT JOIN per_impression p USING (request_id) LEFT JOIN events e USING (request_id)
    GROUP BY i.arm, i.unit_id
)
SELECT arm, count(*) AS units, avg(converted::integer) AS conversion, sum(clicks) / sum(n) AS ctr, sum(ndcg) / sum(n) AS ndcg
FROM per_unit GROUP BY arm ORDER BY arm
"""
times, rows = [], None
for _ in range(3):
    start = time.perf_counter()
    rows = db.execute(QUERY).fetchall()
    times.append(time.perf_counter() - start)

report = json.load(open(report_path))
summaries = report["armSummaries"]
worst = 0.0
for arm, units, conversion, ctr, ndcg in rows:
    for metric, value in (("conversion", conversion), ("ctr", ctr), (f"ndcg@{k}", ndcg)):
        mine = next(s for s in summaries[metric] if s["arm"] == arm)
        if mine["units"] != units:
            sys.exit(f"{arm} {metric}: abctl has {mine['units']} units, DuckDB {units}")
        worst = max(worst, abs(mine["pooledMean"] - value))
print(f"{statistics.median(times):.3f} {worst:.1e}")
