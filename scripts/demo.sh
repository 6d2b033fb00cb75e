#!/usr/bin/env bash
# The main job end to end. Until the demo lands: start the local cluster (unless a
# database is configured), migrate, and show the schema state.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

scripts/deps.sh
swift build --product abctl
abctl=.build/debug/abctl
if [ -z "${DATABASE_URL:-}" ]; then
    echo "demo: local PostgreSQL at $($abctl db start | sed -E 's#//([^:]+):[^@]*@#//\1:***@#')"
fi
$abctl migrate --verbose
$abctl migrate --status
