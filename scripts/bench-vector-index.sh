#!/usr/bin/env bash
# Compares exact and HNSW vector search (release build, one core): build time, search time and recall@1/@10 of
# HNSW against the exact answers, at 100,000 entries of 384 dimensions, on uniform and on low-rank random unit
# vectors, then on the built-in model's embeddings of the texts of the evaluation pairs files (about 80,000).
# Embedding those texts takes about a quarter of an hour on one core.
# Usage: scripts/bench-vector-index.sh     ENTRIES=20000 PAIRS_DIR=/path/to/pairs scripts/bench-vector-index.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench/common.sh
SCRATCH="${SCRATCH:-.build-release}"
CORE="${CORE:-0}"
ENTRIES="${ENTRIES:-100000}"
PAIRS_DIR="${PAIRS_DIR:-../shared/data/pairs}"

MODEL=$(build_with_model "$SCRATCH")

# qqp-a first: the b texts of its first pairs are the queries, their a texts are among the stored ones.
PAIRS=()
for file in "$PAIRS_DIR"/qqp-a.jsonl "$PAIRS_DIR"/*.jsonl; do
    [[ -f "$file" && ! " ${PAIRS[*]-} " =~ " --index-pairs $file " ]] && PAIRS+=(--index-pairs "$file")
done
taskset -c "$CORE" "$SCRATCH/release/reprise-dev" bench-model --models-directory "$MODEL" \
    --runs 20 --batches 1 --index-entries "$ENTRIES" --index-queries 200 "${PAIRS[@]}"
