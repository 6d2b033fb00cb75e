#!/usr/bin/env bash
# What keeping the aggregates current costs the decision service (issue 21), on loopback:
#   * decisions/s of `abctl serve` with the refresh off (--refresh-interval 0) and on (every
#     2 s, five times the default rate), alternating, wrk at 2 connections as in
#     bench-server.sh (the peak on 2 cores);
#   * PostgreSQL's CPU per impression for the refresh itself: after each refresh-off round,
#     one refresh over that round's impressions, its backend's CPU ticks before and after;
#     then the same for 20,000 clicks on that round's latest impressions (per feedback event);
#   * the time from a click's acknowledgement to its appearance in the maintained aggregates,
#     with the default --refresh-interval 10 (the answer a report reads).
#
#   scripts/bench-refresh-load.sh [DURATION=15s] [ROUNDS=3] [SAMPLES=7]
#
# Needs wrk (apt-get install -y wrk). Medians are printed; every round is printed too.
set -euo pipefail
DURATION=${1:-15s}
ROUNDS=${2:-3}
SAMPLES=${3:-7}
. "$(dirname "$0")/bench-common.sh"
"$ABCTL" apply "$WORK/bench.yaml" --database-url "$URL" >/dev/null
KEY=$("$ABCTL" keys create --scope decide --scope events --name bench --database-url "$URL")
cat > "$WORK/decisions.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $KEY"
request = function()
    local body = string.format('{"experiment":"bench-popularity","unit_id":"u%d","k":10}', math.random(1, 1000000))
    return wrk.format(nil, "/v1/decisions", nil, body)
end
LUA
TICKS=$(getconf CLK_TCK)
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
impressions() { "$PSQL" -At "$URL" -c "SELECT count(*) FROM impressions"; }
drain() {
    for _ in $(seq 1 120); do
        curl -s "$BASE/healthz" | grep -q '"buffered_impressions":0[,}]' && break
        sleep 0.5
    done
}
stop_server() { kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""; }

"$ABCTL" refresh --database-url "$URL" >/dev/null  # registers the experiment's definitions
: > "$WORK/off" ; : > "$WORK/on" ; : > "$WORK/cpu" ; : > "$WORK/feedback-cpu"
for round in $(seq 1 "$ROUNDS"); do
    for interval in 0 2; do
        SERVE_ARGS="--refresh-interval $interval" bench_start_server
        rps=$(bench_wrk -t2 -c2 -d"$DURATION" -s "$WORK/decisions.lua" "$BASE/v1/decisions" | awk '/Requests\/sec/ {print $2}')
        drain
        stop_server
        if [ "$interval" = 0 ]; then
            echo "$rps" >> "$WORK/off"
            queued=$("$PSQL" -At "$URL" -c "SELECT count(DISTINCT request_id) FROM abctl_changed_requests")
            # The refresh's own backend: its CPU ticks from /proc/self/stat (read by the
            # backend itself; needs a superuser, as the local cluster's user is) before and after.
            stat="SELECT s[14]::bigint + s[15]::bigint FROM (SELECT string_to_array(pg_read_file('/proc/self/stat'), ' ') AS s) x"
            ticks=$("$PSQL" -At "$URL" -c "$stat" -c "SELECT count(*) FROM abctl_refresh_aggregates()" -c "$stat")
            cpu=$(python3 -c "import sys; b, _, a = map(float, sys.argv[1].split()); n, t = float(sys.argv[2]), float(sys.argv[3]); print(f'{(a - b) / t / n * 1e6:.1f}')" "$ticks" "$queued" "$TICKS")
            echo "$cpu" >> "$WORK/cpu"
            # Then 20,000 clicks on the round's latest impressions, one second after each, and
            # one refresh of them alone: the refresh's CPU per feedback event.
            "$PSQL" -q "$URL" -c "INSERT INTO feedback (event_id, request_id, unit_id, item_id, event_type, value, created_at)
                SELECT 'click-$round-' || request_id, request_id, unit_id, item_ids[1], 'click', 0, created_at + interval '1 second'
                FROM (SELECT * FROM impressions ORDER BY created_at DESC LIMIT 20000) latest" >/dev/null
            ticks=$("$PSQL" -At "$URL" -c "$stat" -c "SELECT count(*) FROM abctl_refresh_aggregates()" -c "$stat")
            feedback_cpu=$(python3 -c "import sys; b, _, a = map(float, sys.argv[1].split()); t = float(sys.argv[2]); print(f'{(a - b) / t / 20000 * 1e6:.1f}')" "$ticks" "$TICKS")
            echo "$feedback_cpu" >> "$WORK/feedback-cpu"
            echo "round $round: refresh off $rps decisions/s; then one refresh of $queued impressions: $cpu µs of PostgreSQL CPU each; of 20,000 clicks: $feedback_cpu µs each"
        else
            echo "$rps" >> "$WORK/on"
            echo "round $round: refresh every 2 s $rps decisions/s"
        fi
    done
done

# Click to aggregates, with the default refresh interval.
SERVE_ARGS="--refresh-interval 10" bench_start_server
: > "$WORK/latency"
for sample in $(seq 1 "$SAMPLES"); do
    answer=$(curl -sf -X POST "$BASE/v1/decisions" -H 'Content-Type: application/json' -H "Authorization: Bearer $KEY" \
        -d "{\"experiment\":\"bench-popularity\",\"unit_id\":\"latency-$sample\",\"k\":10}")
    request=$(echo "$answer" | python3 -c 'import json, sys; print(json.load(sys.stdin)["request_id"])')
    item=$(echo "$answer" | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["item_id"])')
    now=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
    sleep 0.2  # the click comes after the impression, as a user's would
    curl -sf -X POST "$BASE/v1/events" -H 'Content-Type: application/json' -H "Authorization: Bearer $KEY" \
        -d "{\"events\":[{\"event_id\":\"latency-$sample\",\"request_id\":\"$request\",\"unit_id\":\"latency-$sample\",\"item_id\":\"$item\",\"type\":\"click\",\"value\":0,\"timestamp\":\"$now\"}]}" >/dev/null
    start=$(date +%s.%N)
    until [ "$("$PSQL" -At "$URL" -c "SELECT count(*) FROM abctl_agg_impressions WHERE request_id = '$request' AND clicks = 1")" != 0 ]; do
        sleep 0.1
    done
    end=$(date +%s.%N)
    python3 -c "print(f'{$end - $start:.2f}')" >> "$WORK/latency"
    echo "sample $sample: click visible in the aggregates after $(tail -1 "$WORK/latency") s"
    sleep "0.$((RANDOM % 10))"  # clicks land at different moments of the refresh cycle
done
stop_server

echo
echo "| decisions/s, refresh off | decisions/s, refresh every 2 s | ratio | PostgreSQL CPU of the refresh per impression | per feedback event | click to aggregates (refresh every 10 s), median of $SAMPLES | max |"
echo "|---|---|---|---|---|---|---|"
off=$(median < "$WORK/off"); on=$(median < "$WORK/on")
echo "| $off | $on | $(python3 -c "print(f'{$on / $off:.2f}')") | $(median < "$WORK/cpu") µs | $(median < "$WORK/feedback-cpu") µs | $(median < "$WORK/latency") s | $(sort -n "$WORK/latency" | tail -1) s |"
