#!/usr/bin/env bash
# End-to-end calibration of `abctl report` under a bandit-like allocation (docs/statistics.md,
# "Adaptive allocation"): N experiments applied, logged into PostgreSQL and reported by the
# real binary, in a throwaway database of the configured server (DATABASE_URL, else the local
# cluster). Arguments go to scripts/calibrate_e2e.py: --experiments 500 --seed 17 --lift 0.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/scripts/env.sh"
ABCTL=${ABCTL:-"$ROOT/.build/release/abctl"}
[ -x "$ABCTL" ] || swift build -c release --product abctl --package-path "$ROOT"
ADMIN_URL=${DATABASE_URL:-$("$ABCTL" db start)}
DB=abctl_calibration_$$
URL=$(python3 -c 'import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); print(u.urlunparse(p._replace(path="/" + sys.argv[2])))' "$ADMIN_URL" "$DB")
trap 'psql -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
psql -q "$ADMIN_URL" -c "CREATE DATABASE $DB" >/dev/null
"$ABCTL" migrate --database-url "$URL" >/dev/null
python3 "$ROOT/scripts/calibrate_e2e.py" --abctl "$ABCTL" --database-url "$URL" "$@"
