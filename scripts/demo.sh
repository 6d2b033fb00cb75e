#!/usr/bin/env bash
# The main job end to end: `abctl demo` on the local cluster (or DATABASE_URL) — simulated
# history, training, a three-arm bandit experiment with live simulated traffic through the
# decision service, hourly reallocation, and the report. Release build: the traffic loop
# runs the strategies and the statistics at full speed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

scripts/deps.sh
swift build -c release --product abctl
exec .build/release/abctl demo "$@"
