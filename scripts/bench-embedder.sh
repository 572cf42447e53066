#!/usr/bin/env bash
# Measures the built-in embedder (all-MiniLM-L6-v2 in Swift, release build) on one core: median latency of a
# 14-token text, and throughput of batches of 32. With TORCH_PYTHON set to a Python that has torch and
# sentence-transformers, runs the same measurement with PyTorch on the same core, side by side. With
# MPNET_DIR set to an installed all-mpnet-base-v2 (reprise model pull all-mpnet-base-v2), measures that
# model the same way too. The vector indexes have their own script, scripts/bench-vector-index.sh.
# Usage: scripts/bench-embedder.sh            TORCH_PYTHON=/tmp/venv/bin/python MPNET_DIR=... scripts/bench-embedder.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench/common.sh
SCRATCH="${SCRATCH:-.build-release}"
CORE="${CORE:-0}"

MODEL=$(build_with_model "$SCRATCH")
WHEEL=$(model_wheel)

echo "Swift (reprise-dev bench-model, core $CORE):"
taskset -c "$CORE" "$SCRATCH/release/reprise-dev" bench-model --models-directory "$MODEL" --runs 300 --batches 10 --index-entries 0

if [[ -n "${TORCH_PYTHON:-}" ]]; then
    echo "PyTorch sentence-transformers (one thread, core $CORE):"
    taskset -c "$CORE" "$TORCH_PYTHON" scripts/bench-embedder-torch.py "$WHEEL"
fi

if [[ -n "${MPNET_DIR:-}" ]]; then
    echo "Swift all-mpnet-base-v2 (reprise-dev bench-model all-mpnet-base-v2, core $CORE):"
    taskset -c "$CORE" "$SCRATCH/release/reprise-dev" bench-model all-mpnet-base-v2 --models-directory "$MPNET_DIR" --runs 100 --batches 4 --index-entries 0
    if [[ -n "${TORCH_PYTHON:-}" ]]; then
        echo "PyTorch sentence-transformers all-mpnet-base-v2 (one thread, core $CORE):"
        taskset -c "$CORE" "$TORCH_PYTHON" scripts/bench-embedder-torch.py "$MPNET_DIR"
    fi
fi
