#!/usr/bin/env bash
# Benchmarks `abctl serve` (release build) on loopback with wrk: decisions (popularity
# arms, and item-kNN arms for units with history; 1000 items), event batches of 100, and, in the same run, nginx returning a static
# JSON body of the size of a decision answer as the ceiling.
#
#   scripts/bench-server.sh [DURATION=20s] [CONNECTIONS=16] [THREADS=2]
#
# Needs wrk and nginx (apt-get install -y wrk nginx) and a PostgreSQL server where we may
# create a database: DATABASE_URL, else the local cluster (abctl db start). wrk runs in its
# own scheduling group (bench_wrk in bench-common.sh); BENCH_WRK_GROUP=shared puts it in this
# script's group, with the server.
set -euo pipefail
DURATION=${1:-20s}
CONNECTIONS=${2:-16}
THREADS=${3:-2}
. "$(dirname "$0")/bench-common.sh"
"$PSQL" -q "$URL" >/dev/null <<'SQL'
INSERT INTO interactions (unit_id, item_id, event_type, occurred_at)
SELECT 'u' || (n % 5000), 'item-' || (1 + (n * 7919) % 1000), 'click', now() FROM generate_series(1, 50000) n;
SQL
cat > "$WORK/bench-knn.yaml" <<'YAML'
name: bench-knn
status: running
sticky: false
arms:
  - {key: control, strategy: item_knn, control: true, weight: 0.5}
  - {key: wide, strategy: item_knn, params: {neighbours: 200}, weight: 0.5}
metrics: {primary: ctr}
YAML
"$ABCTL" apply "$WORK/bench.yaml" "$WORK/bench-knn.yaml" --database-url "$URL" >/dev/null

# Keys on, as in production: every request carries one (its first use is checked in PostgreSQL, then cached).
KEY=$("$ABCTL" keys create --scope decide --scope events --name bench --database-url "$URL")
# ABCTL_BENCH_HELLO=1 adds GET /bench/hello (a fixed text ahead of every middleware):
# Hummingbird's own ceiling, measured in the same process.
bench_start_server ABCTL_BENCH_HELLO=1

cat > "$WORK/decisions.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer __KEY__"
request = function()
    local body = string.format('{"experiment":"bench-popularity","unit_id":"u%d","context":{"country":"DE"},"k":10}', math.random(1, 1000000))
    return wrk.format(nil, "/v1/decisions", nil, body)
end
LUA
# item-kNN arms rank from the unit's history: units u0…u4999 have interactions.
cat > "$WORK/decisions-knn.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer __KEY__"
request = function()
    local body = string.format('{"experiment":"bench-knn","unit_id":"u%d","context":{"country":"DE"},"k":10}', math.random(0, 4999))
    return wrk.format(nil, "/v1/decisions", nil, body)
end
LUA
sed -i "s/__KEY__/$KEY/" "$WORK/decisions.lua" "$WORK/decisions-knn.lua"

# The peer: nginx with a static body as large as one decision answer.
curl -s -X POST "$BASE/v1/decisions" -H 'Content-Type: application/json' -H "Authorization: Bearer $KEY" \
    -d '{"experiment":"bench-popularity","unit_id":"u1","k":10}' > "$WORK/decision.json"
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/html"
cp "$WORK/decision.json" "$WORK/nginx/html/decision.json"
NGINX_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$WORK/nginx/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/nginx/html;
        location / { default_type application/json; try_files /decision.json =404; }
    }
}
CONF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
BENCH_PIDS=$!
sleep 0.5

# Server CPU (user + system, in clock ticks: getconf CLK_TCK per second) used so far: divided by the requests
# of a run it gives the server's CPU per request, which load from other processes on the
# machine moves far less than it moves req/s.
server_cpu() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }

drain() {  # waits until the server holds no impression PostgreSQL has not taken
    for _ in $(seq 1 120); do
        curl -s "$BASE/healthz" | grep -q '"buffered_impressions":0[,}]' && break
        sleep 0.5
    done
}

run() {  # name url [script]
    local name=$1 url=$2 script=${3:-}
    local out before after
    before=$(server_cpu)
    if [ -n "$script" ]; then
        out=$(bench_wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$script" "$url")
    else
        out=$(bench_wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url")
    fi
    after=$(server_cpu)
    local rps p50 p99 errors requests cpu
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    errors=$(wrk_errors "$out")
    requests=$(echo "$out" | awk '/requests in/ {print $1}')
    cpu="-"
    case $url in "$BASE"*) cpu=$(python3 -c 'import sys; t, hz, n = map(float, sys.argv[1:]); print(f"{t * 1e6 / hz / n:.0f}us")' "$((after - before))" "$(getconf CLK_TCK)" "$requests") ;; esac
    # Only 2xx answers count: a 503 (e.g. a full impression buffer) is cheap and would flatter the rate.
    local ok
    ok=$((requests - ${errors:-0}))
    rps=$(python3 -c 'import sys; r, n, ok = map(float, sys.argv[1:]); print(f"{r * ok / n:.2f}")' "$rps" "$requests" "$ok")
    printf '%-22s %12s 2xx/s   p50 %-9s p99 %-9s non-2xx %-6s server CPU/request %s\n' "$name" "$rps" "$p50" "$p99" "${errors:-0}" "$cpu"
    echo "$rps" > "$WORK/$name.rps"
    case $name in decisions*) echo "$ok" >> "$WORK/decided" ;; esac
}

echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION on $(nproc) cores; decision body $(wc -c < "$WORK/decision.json") bytes"
run nginx-static "http://127.0.0.1:$NGINX_PORT/decision.json"
run hummingbird-hello "$BASE/bench/hello"
PG_BEFORE=$(pg_cpu)
STORED_BEFORE=$("$PSQL" -At "$URL" -c "SELECT count(*) FROM impressions")
run decisions "$BASE/v1/decisions" "$WORK/decisions.lua"
run decisions-item-knn "$BASE/v1/decisions" "$WORK/decisions-knn.lua"
drain
PG_AFTER=$(pg_cpu)
STORED_AFTER=$("$PSQL" -At "$URL" -c "SELECT count(*) FROM impressions")
python3 -c 'import sys; t, hz, n = map(float, sys.argv[1:]); print(f"PostgreSQL CPU per stored impression: {t * 1e6 / hz / n:.1f}us" if t > 0 else "PostgreSQL CPU: not readable here")' \
    "$((PG_AFTER - PG_BEFORE))" "$(getconf CLK_TCK)" "$((STORED_AFTER - STORED_BEFORE))"
# Events answer real decisions (the service refuses unknown request ids): 1000 of the
# impressions the decision runs just logged, each event carrying its decision's unit.
"$PSQL" -At "$URL" -c "SELECT request_id || ' ' || unit_id FROM impressions LIMIT 1000" > "$WORK/decisions.txt"
cat > "$WORK/events.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer __KEY__"
local decisions = {}
for line in io.lines("__DECISIONS__") do
    local id, unit = line:match("^(%S+) (%S+)$")
    decisions[#decisions + 1] = {id, unit}
end
local counter = 0
-- Each wrk thread gets its own tag, so every event id is new (no duplicates).
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("thread_tag", os.time() .. "-" .. threads)
end
request = function()
    local now = os.date("!%Y-%m-%dT%H:%M:%SZ")
    local parts = {}
    for i = 1, 100 do
        counter = counter + 1
        local decision = decisions[counter % #decisions + 1]
        parts[i] = string.format('{"event_id":"%s-%d","request_id":"%s","unit_id":"%s","item_id":"item-%d","type":"click","value":1,"timestamp":"%s"}',
            thread_tag, counter, decision[1], decision[2], counter % 1000, now)
    end
    return wrk.format(nil, "/v1/events", nil, '{"events":[' .. table.concat(parts, ",") .. ']}')
end
LUA
sed -i "s/__KEY__/$KEY/; s#__DECISIONS__#$WORK/decisions.txt#" "$WORK/events.lua"
run events-100-per-batch "$BASE/v1/events" "$WORK/events.lua"
python3 -c 'import sys; h, d, k, n = map(float, sys.argv[1:]); print(f"(2xx rates) hello / nginx = {h / n:.2f}, decisions / nginx = {d / n:.2f}, item-kNN decisions / nginx = {k / n:.2f}")' \
    "$(cat "$WORK/hummingbird-hello.rps")" "$(cat "$WORK/decisions.rps")" "$(cat "$WORK/decisions-item-knn.rps")" "$(cat "$WORK/nginx-static.rps")"
# Every decision answered 200 must have its impression stored: wait for the writer to drain.
drain
"$PSQL" -At "$URL" -c "SELECT 'stored: ' || (SELECT count(*) FROM feedback) || ' events, ' || (SELECT count(*) FROM impressions) || ' impressions; decisions answered 200: $(( $(paste -sd+ "$WORK/decided") ))'"
