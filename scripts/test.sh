#!/usr/bin/env bash
# The whole test suite against a real PostgreSQL: the one in ABCTL_TEST_DATABASE_URL or
# DATABASE_URL when set (the user must be allowed to create databases), else the local
# cluster, which it creates and starts.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

scripts/deps.sh --tests
swift build --build-tests
if [ -z "${ABCTL_TEST_DATABASE_URL:-}" ]; then
    if [ -n "${DATABASE_URL:-}" ]; then
        export ABCTL_TEST_DATABASE_URL="$DATABASE_URL"
    else
        export ABCTL_TEST_DATABASE_URL="$(.build/debug/abctl db start)"
    fi
fi
status=0
swift test --skip-build "$@" || status=$?
# Lint (about 10 s): the committed .swift-format, strict, over the package's code.
swift format lint --strict --configuration .swift-format -r Sources Tests || status=$?
exit $status
