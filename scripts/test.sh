#!/usr/bin/env bash
# Runs every test of the project on a fresh checkout:
#   1. the Swift test suites (unit tests and the in-process gateway tests), and
#   2. the conformance tests: the official `openai` Python SDK against the real `reprise` binary.
# It installs what the tests need (a Python virtual environment with the SDK) and needs nothing started
# by hand. Set REPRISE_SKIP_CONFORMANCE=1 to run the Swift suites only.
set -euo pipefail
cd "$(dirname "$0")/.."

# The analyzer reads gzip logs through the system zlib.
if [[ ! -f /usr/include/zlib.h ]]; then
    echo "==> Installing zlib1g-dev"
    apt-get update -qq && apt-get install -y -qq zlib1g-dev >/dev/null
fi

echo "==> Swift build (debug, with tests)"
swift build --build-tests

echo "==> Swift tests"
swift test --skip-build --skip RepriseRedisTests

# Run apart from the other suites, so their timing-sensitive gateway tests do not share the CPU with
# Redis servers and a 3-node cluster under load.
echo "==> Redis store tests against real Redis servers (stopped on exit)"
eval "$(scripts/services/redis.sh start)"
trap 'scripts/services/redis.sh stop "$REPRISE_REDIS_SERVICES_DIR"' EXIT
swift test --skip-build --filter RepriseRedisTests

if [[ "${REPRISE_SKIP_CONFORMANCE:-0}" == "1" ]]; then
    echo "==> Conformance tests skipped (REPRISE_SKIP_CONFORMANCE=1)"
    exit 0
fi

echo "==> Python environment for the SDK conformance tests"
scripts/python-env.sh

echo "==> SDK conformance tests against .build/debug/reprise"
REPRISE_BINARY="$(swift build --show-bin-path)/reprise" .venv/bin/python -m pytest tests/conformance -q
