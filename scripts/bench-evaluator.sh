#!/usr/bin/env bash
# The evaluator before and after maintained aggregates (issue 21), on one two-arm Thompson
# bandit experiment with 200,000 units and feedback on about a third of impressions:
#   report --full        the raw-log path (every impression, as before issue 21)
#   refresh (catch-up)   the first refresh, reading the whole history once
#   report               refresh (nothing new) + read the maintained aggregates
#   /dashboard/NAME      the server's page, reading the maintained aggregates
#   allocate --dry-run   refresh + read the allocator's aggregates + policy
#   Grafana              SELECT * FROM abctl_dashboard_arm_estimates (the report's estimator view)
#   refresh of 10,000 new impressions (+ feedback), and its wall time per event
#   DuckDB               the same per-arm values from a Parquet export (bench_evaluator_duckdb.py),
#                        checked equal to the report's; median of 3 runs of the query
# Usage: scripts/bench-evaluator.sh [IMPRESSIONS ...]   (default 100000 1000000 3000000 10000000)
# ABCTL=path/to/abctl picks the binary (default .build/release/abctl, built when missing).
# DuckDB is measured when `python3 -c "import duckdb"` works (pip install duckdb); otherwise
# its column says so.
set -euo pipefail
ABCTL=${ABCTL:-"$(cd "$(dirname "$0")/.." && pwd)/.build/release/abctl"}
. "$(dirname "$0")/bench-common.sh"
if [ $# -gt 0 ]; then SIZES=("$@"); else SIZES=(100000 1000000 3000000 10000000); fi
NAME=bench-evaluator

cat > "$WORK/evaluator.yaml" <<'YAML'
name: bench-evaluator
status: running
arms:
  - {key: control, strategy: popularity, control: true, weight: 0.5}
  - {key: trending, strategy: popularity, params: {half_life_hours: 24}, weight: 0.5}
allocation: {type: bandit, policy: thompson, reward: conversion, update_interval: 1h, seed: 7}
metrics: {primary: conversion, secondary: [ctr, ndcg@10], attribution_window: 2h}
YAML
"$ABCTL" apply "$WORK/evaluator.yaml" --database-url "$URL" >/dev/null

seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null; end=$(date +%s.%N); python3 -c "print(f'{$end - $start:.3f}')"; }

# Logs impressions [from, to) spread over the 20 days before now - 3 h, 200,000 units, and
# feedback (click, a third of them purchases) on every third impression, 60 s later.
log_range() {
    "$PSQL" -q "$URL" <<SQL >/dev/null
INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
SELECT md5('r' || g)::uuid, '$NAME', 1, CASE WHEN g % 2 = 0 THEN 'control' ELSE 'trending' END, 'u' || (g % 200000),
       ARRAY['i1','i2','i3','i4','i5','i6','i7','i8','i9','i10'], ARRAY[10,9,8,7,6,5,4,3,2,1]::float8[], 0.5, 1,
       now() - interval '3 hours' - (interval '20 days') * (1 - g::float8 / $2)
FROM generate_series($1, $2 - 1) g;
INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
SELECT 'e' || g, md5('r' || g)::uuid, 'u' || (g % 200000), 'i' || (1 + g % 10), CASE WHEN g % 9 = 0 THEN 'purchase' ELSE 'click' END,
       CASE WHEN g % 9 = 0 THEN 20 ELSE 0 END,
       now() - interval '3 hours' - (interval '20 days') * (1 - g::float8 / $2) + interval '60 seconds'
FROM generate_series($1, $2 - 1) g WHERE g % 3 = 0;
SQL
}

echo "| impressions | report --full | first refresh (catch-up) | report | /dashboard/NAME | allocate --dry-run | Grafana view | refresh of 10,000 new impressions + 3,333 feedback | per event | DuckDB (same values) | report --full ÷ report | DuckDB ÷ report |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
logged=0
for size in "${SIZES[@]}"; do
    "$PSQL" -q "$URL" -c "TRUNCATE impressions, feedback, abctl_changed_requests; DELETE FROM abctl_metric_definitions; TRUNCATE abctl_agg_impressions, abctl_agg_units, abctl_agg_cells, abctl_agg_unit_days, abctl_agg_day_cells" >/dev/null
    # Daily partitions over the whole history, as a server running for 20 days would have made.
    "$PSQL" -q "$URL" -c "SELECT abctl_ensure_partitions('impressions', (now() AT TIME ZONE 'UTC')::date - 21, 22)" \
        -c "SELECT abctl_ensure_partitions('feedback', (now() AT TIME ZONE 'UTC')::date - 21, 22)" >/dev/null
    log_range 0 "$size"
    "$PSQL" -q "$URL" -c "VACUUM ANALYZE impressions" -c "VACUUM ANALYZE feedback" >/dev/null
    full=$(seconds nice -n 10 "$ABCTL" report "$NAME" --full --database-url "$URL")
    catchup=$(seconds nice -n 10 "$ABCTL" refresh --database-url "$URL")
    report=$(seconds nice -n 10 "$ABCTL" report "$NAME" --database-url "$URL")
    "$ABCTL" serve --port 0 --no-keys --no-allocator --refresh-interval 0 --database-url "$URL" --spool "$WORK/spool" > "$WORK/serve.out" 2> "$WORK/serve.err" &
    SERVER_PID=$!
    for _ in $(seq 1 100); do grep -q listening "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
    BASE="http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$WORK/serve.out")"
    dashboard=$(seconds curl -sf "$BASE/dashboard/$NAME")
    kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
    allocate=$(seconds nice -n 10 "$ABCTL" allocate "$NAME" --dry-run --database-url "$URL")
    grafana=$(seconds "$PSQL" -q "$URL" -c "SELECT * FROM abctl_dashboard_arm_estimates WHERE experiment = '$NAME'")
    duck="not measured (no duckdb module)"
    if python3 -c "import duckdb" 2>/dev/null; then
        nice -n 10 "$ABCTL" report "$NAME" --no-refresh --format json --database-url "$URL" > "$WORK/report.json"
        "$PSQL" -q "$URL" \
            -c "\\copy (SELECT request_id, arm, unit_id, item_ids, created_at AT TIME ZONE 'UTC' FROM impressions WHERE experiment = '$NAME') TO '$WORK/impressions.csv' CSV" \
            -c "\\copy (SELECT request_id, item_id, event_type, created_at AT TIME ZONE 'UTC' FROM feedback) TO '$WORK/feedback.csv' CSV"
        read -r duck_seconds duck_diff < <(python3 "$ROOT/scripts/bench_evaluator_duckdb.py" "$WORK/impressions.csv" "$WORK/feedback.csv" 7200 10 "$WORK/report.json")
        duck="$duck_seconds s (max diff $duck_diff)"
        rm -f "$WORK/impressions.csv" "$WORK/feedback.csv"
    fi
    # Three rounds of 10,000 new impressions at now - 1 h (feedback on a third, 60 s later),
    # each followed by one refresh; the median round.
    rounds=()
    for round in 1 2 3; do
        "$PSQL" -q "$URL" <<SQL >/dev/null
INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
SELECT md5('new$round-' || g)::uuid, '$NAME', 1, CASE WHEN g % 2 = 0 THEN 'control' ELSE 'trending' END, 'u' || (g * 7 % 200000),
       ARRAY['i1','i2','i3','i4','i5','i6','i7','i8','i9','i10'], ARRAY[10,9,8,7,6,5,4,3,2,1]::float8[], 0.5, 1, now() - interval '1 hour'
FROM generate_series(1, 10000) g;
INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
SELECT 'new$round-' || g, md5('new$round-' || g)::uuid, 'u' || (g * 7 % 200000), 'i2', 'click', 0, now() - interval '59 minutes'
FROM generate_series(1, 10000) g WHERE g % 3 = 0;
SQL
        rounds+=("$(seconds nice -n 10 "$ABCTL" refresh --database-url "$URL")")
    done
    incremental=$(printf '%s\n' "${rounds[@]}" | sort -n | sed -n 2p)
    per=$(python3 -c "print(f'{$incremental / 13333 * 1e6:.0f} µs')")
    ratios=$(python3 -c "import sys; r = float(sys.argv[2]); d = sys.argv[3]; print(f'{float(sys.argv[1]) / r:.0f}× | ' + (f'{float(d) / r:.0f}×' if d else '—'))" "$full" "$report" "${duck_seconds:-}")
    echo "| $size | $full s | $catchup s | $report s | $dashboard s | $allocate s | $grafana s | $incremental s | $per | $duck | $ratios |"
done
