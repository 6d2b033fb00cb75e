# Shared by the benchmark scripts (bench-server.sh, bench-events.sh, bench-impression-indexes.sh);
# source it, don't run it. Sets ROOT, ABCTL, PSQL, WORK, ADMIN_URL, DB and URL, makes the
# throwaway database with the schema and 1000 items, and cleans up on exit (the server,
# anything in BENCH_PIDS, the database, WORK).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ABCTL=${ABCTL:-"$ROOT/.build/release/abctl"}  # another build to compare: ABCTL=/path/to/abctl
PSQL=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1)
[ -x "$ABCTL" ] || swift build -c release --product abctl --package-path "$ROOT"
WORK=$(mktemp -d /tmp/abctl-bench.XXXXXX)
chmod 755 "$WORK"
ADMIN_URL=${DATABASE_URL:-$("$ABCTL" db start)}
DB=abctl_bench_$$
URL=$(python3 -c 'import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); print(u.urlunparse(p._replace(path="/" + sys.argv[2])))' "$ADMIN_URL" "$DB")
SERVER_PID=""
BENCH_PIDS=""
bench_cleanup() {
    if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true; fi
    for pid in $BENCH_PIDS; do kill -TERM "$pid" 2>/dev/null || true; done
    "$PSQL" -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap bench_cleanup EXIT

"$PSQL" -q "$ADMIN_URL" -c "CREATE DATABASE $DB" >/dev/null
"$ABCTL" migrate --database-url "$URL" >/dev/null
"$PSQL" -q "$URL" -c "INSERT INTO items (item_id) SELECT 'item-' || n FROM generate_series(1, 1000) n" >/dev/null

# Writes the two-arm popularity experiment both benchmarks decide with (sticky: false, so a
# decision never touches PostgreSQL) to $WORK/bench.yaml.
cat > "$WORK/bench.yaml" <<'YAML'
name: bench-popularity
status: running
sticky: false
arms:
  - {key: control, strategy: popularity, control: true, weight: 0.5}
  - {key: trending, strategy: popularity, params: {half_life_hours: 24}, weight: 0.5}
metrics: {primary: ctr}
YAML

# Starts `abctl serve --port 0` on the benchmark database (extra environment as arguments,
# e.g. ABCTL_BENCH_HELLO=1) and sets SERVER_PID and BASE once it listens.
# SERVE_ARGS adds options to serve (e.g. SERVE_ARGS="--refresh-interval 0").
bench_start_server() {
    # shellcheck disable=SC2086  # SERVE_ARGS is a list of words
    env "$@" "$ABCTL" serve --port 0 --database-url "$URL" --spool "$WORK/spool" ${SERVE_ARGS:-} > "$WORK/serve.out" 2> "$WORK/serve.err" &
    SERVER_PID=$!
    for _ in $(seq 1 100); do grep -q listening "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
    BASE="http://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$WORK/serve.out")"
}

# The count of non-2xx answers in wrk's output (its "Non-2xx or 3xx responses: N" line), 0 if none.
wrk_errors() {
    echo "$1" | awk '/Non-2xx/ {print $NF}' | grep . || echo 0
}

# Runs wrk in its own scheduling group, as if on its own machine: setsid starts a new session,
# and Linux gives each session its own autogroup, which gets an equal share of the CPU against
# the others (PostgreSQL's, and this script's with the server). In this script's group wrk
# would take its CPU out of the server's share, and its own waits behind PostgreSQL on the
# shared cores would count as the server's latency (docs/benchmarks.md, "Decision service").
# BENCH_WRK_GROUP=shared runs it in this script's group instead, as before 2026-11-29 21:00.
bench_wrk() {
    if [ "${BENCH_WRK_GROUP:-own}" = shared ]; then wrk "$@"; else setsid -w wrk "$@"; fi
}

# PostgreSQL's CPU (all its processes, in clock ticks) when the cluster runs on this machine and
# its data directory is readable (the local cluster of abctl db start): per stored impression it
# shows what logging a decision costs the database. Prints 0 when it cannot be read. The
# postmaster's cutime and cstime hold the CPU of backends that have exited (a client's
# session that ended), so a finished `abctl refresh` counts too.
PG_DATA=$("$PSQL" -At "$URL" -c "SHOW data_directory" 2>/dev/null || true)
PG_PID=$(head -1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)
pg_cpu() {
    local total=0 pid
    [ -n "$PG_PID" ] || { echo 0; return; }
    total=$(awk '{print $16 + $17}' "/proc/$PG_PID/stat" 2>/dev/null || echo 0)
    for pid in $PG_PID $(pgrep -P "$PG_PID"); do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
    echo "$total"
}
