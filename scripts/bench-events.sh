#!/usr/bin/env bash
# Benchmarks POST /v1/events of `abctl serve` (release build) on loopback with wrk: batches
# of 100 events whose request ids answer real decisions (5000 impressions seeded in
# PostgreSQL, so the server checks them as it would a client's). A variant of
# scripts/bench-server.sh, whose events carry one made-up request id that is now refused.
#
#   scripts/bench-events.sh [DURATION=20s] [CONNECTIONS=16] [THREADS=2]
#
# Needs wrk (apt-get install -y wrk) and a PostgreSQL server where we may create a
# database: DATABASE_URL, else the local cluster (abctl db start).
set -euo pipefail
DURATION=${1:-20s}
CONNECTIONS=${2:-16}
THREADS=${3:-2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ABCTL=${ABCTL:-"$ROOT/.build/release/abctl"}
PSQL=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1)
[ -x "$ABCTL" ] || swift build -c release --product abctl --package-path "$ROOT"
WORK=$(mktemp -d /tmp/abctl-bench-events.XXXXXX)
chmod 755 "$WORK"
ADMIN_URL=${DATABASE_URL:-$("$ABCTL" db start)}
DB=abctl_bench_$$
URL=$(python3 -c 'import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); print(u.urlunparse(p._replace(path="/" + sys.argv[2])))' "$ADMIN_URL" "$DB")
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true; fi
    "$PSQL" -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

"$PSQL" -q "$ADMIN_URL" -c "CREATE DATABASE $DB" >/dev/null
"$ABCTL" migrate --database-url "$URL" >/dev/null
"$PSQL" -q "$URL" >/dev/null <<'SQL'
INSERT INTO items (item_id) SELECT 'item-' || n FROM generate_series(1, 1000) n;
INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
SELECT ('00000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid, 'bench-popularity', 1, 'control', 'u' || n,
       ARRAY['item-' || (1 + n % 1000)], ARRAY[1.0::float8], 0.5, 1, now() - interval '1 minute'
FROM generate_series(0, 4999) n;
INSERT INTO interactions (unit_id, item_id, event_type, occurred_at)
SELECT 'u' || (n % 5000), 'item-' || (1 + (n * 7919) % 1000), 'click', now() FROM generate_series(1, 50000) n;
SQL
cat > "$WORK/bench.yaml" <<'YAML'
name: bench-popularity
status: running
sticky: false
arms:
  - {key: control, strategy: popularity, control: true, weight: 0.5}
  - {key: trending, strategy: popularity, params: {half_life_hours: 24}, weight: 0.5}
metrics: {primary: ctr}
YAML
"$ABCTL" apply "$WORK/bench.yaml" --database-url "$URL" >/dev/null

# Keys on, as in production: every request carries one (its first use is checked in PostgreSQL, then cached).
KEY=$("$ABCTL" keys create --scope events --name bench --database-url "$URL")
"$ABCTL" serve --port 0 --database-url "$URL" --spool "$WORK/spool" > "$WORK/serve.out" 2> "$WORK/serve.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do grep -q listening "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
PORT=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$WORK/serve.out")
BASE="http://127.0.0.1:$PORT"

cat > "$WORK/events.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer __KEY__"
local counter = 0
local thread_tag = tostring(math.random(1, 1000000000))
request = function()
    local now = os.date("!%Y-%m-%dT%H:%M:%SZ")
    local parts = {}
    for i = 1, 100 do
        counter = counter + 1
        local n = (counter * 7919) % 5000
        parts[i] = string.format('{"event_id":"%s-%d","request_id":"00000000-0000-4000-8000-%012d","unit_id":"u%d","item_id":"item-%d","type":"click","value":1,"timestamp":"%s"}',
            thread_tag, counter, n, n, 1 + n % 1000, now)
    end
    return wrk.format(nil, "/v1/events", nil, '{"events":[' .. table.concat(parts, ",") .. ']}')
end
LUA
sed -i "s/__KEY__/$KEY/" "$WORK/events.lua"

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION on $(nproc) cores"
out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/events.lua" "$BASE/v1/events")
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
errors=$(echo "$out" | awk '/Non-2xx/ {print $4}')
printf '%-22s %12s req/s   p50 %-9s p99 %-9s non-2xx %s\n' events-100-per-batch "$rps" "$p50" "$p99" "${errors:-0}"
python3 -c 'import sys; print(f"events/s = {float(sys.argv[1]) * 100:.0f}")' "$rps"
"$PSQL" -At "$URL" -c "SELECT 'stored: ' || (SELECT count(*) FROM feedback) || ' events'"
