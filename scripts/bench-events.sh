#!/usr/bin/env bash
# Benchmarks POST /v1/events of `abctl serve` (release build) on loopback with wrk: batches
# of 100 events whose request ids answer real decisions (5000 impressions seeded in
# PostgreSQL, so the server checks them as it would a client's), without the decision runs
# of scripts/bench-server.sh (whose events answer the decisions it just made).
#
#   scripts/bench-events.sh [DURATION=20s] [CONNECTIONS=16] [THREADS=2]
#
# Needs wrk (apt-get install -y wrk) and a PostgreSQL server where we may create a
# database: DATABASE_URL, else the local cluster (abctl db start).
set -euo pipefail
DURATION=${1:-20s}
CONNECTIONS=${2:-16}
THREADS=${3:-2}
. "$(dirname "$0")/bench-common.sh"
"$PSQL" -q "$URL" >/dev/null <<'SQL'
INSERT INTO impressions (request_id, experiment, experiment_version, arm, unit_id, item_ids, scores, propensity, allocation_version, created_at)
SELECT ('00000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid, 'bench-popularity', 1, 'control', 'u' || n,
       ARRAY['item-' || (1 + n % 1000)], ARRAY[1.0::float8], 0.5, 1, now() - interval '1 minute'
FROM generate_series(0, 4999) n;
INSERT INTO interactions (unit_id, item_id, event_type, occurred_at)
SELECT 'u' || (n % 5000), 'item-' || (1 + (n * 7919) % 1000), 'click', now() FROM generate_series(1, 50000) n;
SQL
"$ABCTL" apply "$WORK/bench.yaml" --database-url "$URL" >/dev/null

# Keys on, as in production: every request carries one (its first use is checked in PostgreSQL, then cached).
KEY=$("$ABCTL" keys create --scope events --name bench --database-url "$URL")
bench_start_server

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
out=$(bench_wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/events.lua" "$BASE/v1/events")
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
errors=$(wrk_errors "$out")
printf '%-22s %12s req/s   p50 %-9s p99 %-9s non-2xx %s\n' events-100-per-batch "$rps" "$p50" "$p99" "${errors:-0}"
python3 -c 'import sys; print(f"events/s = {float(sys.argv[1]) * 100:.0f}")' "$rps"
"$PSQL" -At "$URL" -c "SELECT 'stored: ' || (SELECT count(*) FROM feedback) || ' events'"
