#!/usr/bin/env bash
# Time and peak memory of `abctl validate` over hostile specs and 300 mutated specs
# (issue 18: under 1 s and 100 MB for any input). Prints a markdown table for docs/benchmarks.md.
# Usage: scripts/bench-validate.sh   (ABCTL=/path/to/abctl to measure another build)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ABCTL=${ABCTL:-"$ROOT/.build/release/abctl"}
[ -x "$ABCTL" ] || (cd "$ROOT" && . scripts/env.sh && swift build -c release --product abctl)
python3 "$ROOT/scripts/bench_validate.py" "$ABCTL" "$@"
