#!/usr/bin/env bash
# Declared metrics on outcome events (issue 20) against the built-in CTR over the same number
# of impressions, on one two-arm experiment: UNITS units, ROWS impressions (a click on about
# 1 in 20) and ROWS outcome events (70 % orders with a value, 30 % session starts, over 1.2 ×
# UNITS units, so a sixth of them belong to units never exposed). Medians of REPS runs of:
#   report --full --metric ctr        the built-in CTR from the raw logs
#   report --full --metric revenue    the five declared metrics from the raw logs (one query
#                                     computes all of them; --metric only picks the one shown)
#   refresh                           the first refresh, filling both maintained stores
#   report --no-refresh (ctr | revenue)  reading the maintained aggregates / unit rows
# and, in the same run, DuckDB computing the same per-arm values (units, revenue per unit,
# purchased share, average order value) from a CSV export, checked equal to abctl's.
# Usage: UNITS=100000 ROWS=1000000 REPS=3 scripts/bench-outcome-metrics.sh
# ABCTL=path/to/abctl picks the binary (default .build/release/abctl, built when missing).
set -euo pipefail
. "$(dirname "$0")/bench-common.sh"
UNITS=${UNITS:-100000}
ROWS=${ROWS:-1000000}
REPS=${REPS:-3}
NAME=bench-outcomes

cat > "$WORK/outcomes.yaml" <<'YAML'
name: bench-outcomes
status: running
arms:
  - {key: a, strategy: popularity, control: true, weight: 0.5}
  - {key: b, strategy: popularity, params: {half_life_hours: 24}, weight: 0.5}
metrics:
  primary: ctr
  definitions:
    revenue: {source: {event: order}, aggregation: sum, window: {from: 0d, to: 7d}}
    orders: {source: {event: order}, aggregation: count, window: {from: 0d, to: 7d}}
    purchased: {source: {event: order}, aggregation: any, window: {from: 0d, to: 7d}}
    aov: {aggregation: ratio, numerator: revenue, denominator: orders}
    returned: {source: {event: session_start}, retention: {from: 1d, to: 2d}}
YAML
"$ABCTL" apply "$WORK/outcomes.yaml" --database-url "$URL" >/dev/null

echo "loading $ROWS impressions over $UNITS units and $ROWS outcome events …"
"$PSQL" -q "$URL" <<SQL
INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
SELECT md5('r' || g)::uuid, '$NAME', 1, CASE WHEN (hashtext('u' || (g % $UNITS)) & 1) = 0 THEN 'a' ELSE 'b' END,
       'u' || (g % $UNITS), ARRAY['item-1', 'item-2', 'item-3'], ARRAY[3, 2, 1]::float8[], 0.5, 1,
       timestamptz '2026-11-01T00:00:00Z' + (g::float8 / $ROWS) * interval '7 days'
FROM generate_series(0, $ROWS - 1) g;
INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
SELECT 'c' || g, md5('r' || g)::uuid, 'u' || (g % $UNITS), 'item-1', 'click', 0,
       timestamptz '2026-11-01T00:00:00Z' + (g::float8 / $ROWS) * interval '7 days' + interval '1 minute'
FROM generate_series(0, $ROWS - 1) g WHERE g % 20 = 0;
INSERT INTO outcome_events (event_id, unit_id, event_type, value, created_at)
SELECT 'o' || g, 'u' || ((hashtext('o' || g) & 2147483647) % ($UNITS * 12 / 10)),
       CASE WHEN g % 10 < 7 THEN 'order' ELSE 'session_start' END,
       CASE WHEN g % 10 < 7 THEN (g % 200) + 0.5 END,
       timestamptz '2026-11-01T00:00:00Z' + (g::float8 / $ROWS) * interval '14 days'
FROM generate_series(0, $ROWS - 1) g;
ANALYZE;
SQL

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); python3 -c "print(f'{$end - $start:.3f}')"; }
median() { python3 -c 'import statistics, sys; print(f"{statistics.median(map(float, sys.argv[1:])):.3f}")' "$@"; }
runs() { local out=(); for _ in $(seq "$REPS"); do out+=("$(seconds "$@")"); done; median "${out[@]}"; }

FULL_CTR=$(runs "$ABCTL" report "$NAME" --database-url "$URL" --full --metric ctr --format json)
FULL_DECLARED=$(runs "$ABCTL" report "$NAME" --database-url "$URL" --full --metric revenue --format json)
REFRESH=$(seconds "$ABCTL" refresh --database-url "$URL")
KEPT_CTR=$(runs "$ABCTL" report "$NAME" --database-url "$URL" --no-refresh --metric ctr --format json)
KEPT_DECLARED=$(runs "$ABCTL" report "$NAME" --database-url "$URL" --no-refresh --metric revenue --format json)

for metric in revenue purchased aov; do
    "$ABCTL" report "$NAME" --database-url "$URL" --full --metric "$metric" --format json > "$WORK/full-$metric.json"
    "$ABCTL" report "$NAME" --database-url "$URL" --no-refresh --metric "$metric" --format json > "$WORK/kept-$metric.json"
done
"$PSQL" -q "$URL" -c "\\copy (SELECT arm, unit_id, created_at FROM impressions WHERE experiment = '$NAME') TO '$WORK/impressions.csv' CSV HEADER"
"$PSQL" -q "$URL" -c "\\copy (SELECT unit_id, event_type, value, created_at FROM outcome_events) TO '$WORK/outcomes.csv' CSV HEADER"
python3 "$(dirname "$0")/bench_outcome_metrics_peer.py" "$WORK"

echo "units $UNITS, impressions $ROWS, outcome events $ROWS, $REPS runs (medians), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "report --full: built-in ctr ${FULL_CTR} s, declared metrics ${FULL_DECLARED} s, ratio $(python3 -c "print(f'{$FULL_DECLARED / $FULL_CTR:.2f}')")"
echo "first refresh (built-in + declared): ${REFRESH} s"
echo "report from the maintained aggregates: built-in ctr ${KEPT_CTR} s, declared metrics ${KEPT_DECLARED} s, ratio $(python3 -c "print(f'{$KEPT_DECLARED / $KEPT_CTR:.2f}')")"
