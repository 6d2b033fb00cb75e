#!/usr/bin/env bash
# What each index on impressions costs PostgreSQL per stored row: 200 000 impression-like rows
# (time-ordered request ids, as UUID v7 gives; unit ids in random order; 10-item lists) are
# inserted with INSERT … SELECT into a fresh table with each index set in turn, after a
# CHECKPOINT, REPS times interleaved; prints the median µs per row of each set.
#
#   scripts/bench-impression-indexes.sh [REPS=3]
#
# Needs a PostgreSQL server where we may create a database: DATABASE_URL, else the local
# cluster (abctl db start). The tables are `src` and `t` beside abctl's schema.
set -euo pipefail
REPS=${1:-3}
export PGOPTIONS="-c client_min_messages=warning"
. "$(dirname "$0")/bench-common.sh"  # the throwaway database, dropped on exit
"$PSQL" -q "$URL" >/dev/null <<'SQL'
CREATE TABLE src AS
SELECT ('0193' || lpad(to_hex(n), 28, '0'))::uuid AS request_id,
       'bench-popularity'::text AS experiment, 1 AS experiment_version,
       CASE WHEN n % 2 = 0 THEN 'control' ELSE 'treatment' END AS arm,
       'u' || (hashint4(n) & 1048575)::text AS unit_id,
       ARRAY(SELECT 'item-' || g FROM generate_series(1, 10) g) AS item_ids,
       ARRAY(SELECT g::float8 / 10 FROM generate_series(1, 10) g) AS scores,
       0.5::float8 AS propensity, 3::bigint AS allocation_version,
       '{"country":"DE"}'::jsonb AS context, NULL::text AS reason,
       now() + n * interval '40 microseconds' AS created_at
FROM generate_series(1, 200000) n;
SQL
declare -A SETS=(
    [1-heap]=""
    [2-key]="ALTER TABLE t ADD PRIMARY KEY (request_id, created_at);"
    [3-key+experiment]="ALTER TABLE t ADD PRIMARY KEY (request_id, created_at); CREATE INDEX ON t (experiment, created_at);"
    [4-key+experiment+unit]="ALTER TABLE t ADD PRIMARY KEY (request_id, created_at); CREATE INDEX ON t (experiment, created_at); CREATE INDEX ON t (experiment, unit_id, created_at);"
)
NAMES=$(printf '%s\n' "${!SETS[@]}" | sort)
OUT=$WORK/times
for _ in $(seq 1 "$REPS"); do
    for name in $NAMES; do
        "$PSQL" -q "$URL" -c "DROP TABLE IF EXISTS t" -c "CREATE TABLE t (LIKE src)" >/dev/null
        [ -z "${SETS[$name]}" ] || "$PSQL" -q "$URL" -c "${SETS[$name]}" >/dev/null
        "$PSQL" -q "$URL" -c "CHECKPOINT" >/dev/null
        ms=$("$PSQL" "$URL" -c '\timing on' -c "INSERT INTO t SELECT * FROM src" | awk '/^Time:/ {print $2}')
        echo "$name $ms" >> "$OUT"
    done
done
python3 - "$OUT" <<'PY'
import sys, statistics
runs = {}
for line in open(sys.argv[1]):
    name, ms = line.split()
    runs.setdefault(name, []).append(float(ms) * 1000 / 200000)
for name in sorted(runs):
    xs = runs[name]
    print(f"{name[2:]:<24} {statistics.median(xs):5.2f} µs/row (runs: {', '.join(f'{x:.2f}' for x in xs)})")
PY
