"""`reprise eval-semantic` with a remote embedder, as a user evaluates the endpoint they mean to configure.

A loopback server stands in for an OpenAI-compatible /v1/embeddings endpoint. Its vectors are bags of words,
so every similarity is known in advance: a pair sharing k of its words has cosine k / sqrt(|a| * |b|).
"""
import json
import math
import os
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BINARY = os.environ.get("REPRISE_BINARY", ".build/debug/reprise")
DIMENSION = 256


def reprise(*arguments, env=None):
    return subprocess.run([BINARY, *arguments], capture_output=True, text=True, timeout=120, env=env)


class BagOfWords:
    """An embeddings endpoint on loopback: one dimension per distinct lower-cased word."""

    def __init__(self, status=200, delay=0.0):
        self.status = status
        self.delay = delay
        self.words = {}
        self.requests = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                endpoint.requests.append({"path": self.path, "model": request["model"], "authorization": self.headers.get("Authorization")})
                time.sleep(endpoint.delay)
                if endpoint.status != 200:
                    body = {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error"}}
                else:
                    body = {"object": "list", "model": request["model"],
                            "data": [{"object": "embedding", "index": i, "embedding": endpoint.vector(text)}
                                     for i, text in enumerate(request["input"])]}
                data = json.dumps(body).encode()
                self.send_response(endpoint.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def vector(self, text):
        vector = [0.0] * DIMENSION
        for word in text.lower().split():
            vector[self.words.setdefault(word, len(self.words))] += 1.0
        norm = math.sqrt(sum(x * x for x in vector)) or 1.0
        return [x / norm for x in vector]

    def close(self):
        self.server.shutdown()


PAIRS = [
    ("How do I reset my password", "how do i reset my password", True),            # 1.000: a hit either way
    ("Is order 48213 shipped", "Is order 48231 shipped", False),                   # 0.750: numbers guard
    ("What is the capital of France", "What is the capital of Germany", False),    # 0.833: entities guard
    ("Is it safe to take ibuprofen", "Is it not safe to take ibuprofen", False),   # 0.926: negation guard
    ("Tell me a joke", "Write a poem about the sea", False),                       # 0.224: no hit
]


def write_pairs(path):
    path.write_text("".join(json.dumps({"a": a, "b": b, "same": same}) + "\n" for a, b, same in PAIRS))
    return str(path)


def test_scores_pairs_with_the_remote_endpoint_and_compares_with_gptcache(tmp_path):
    endpoint = BagOfWords()
    try:
        env = dict(os.environ, EVAL_KEY="sk-test")
        result = reprise("eval-semantic", "--json", "--embeddings-url", endpoint.url, "--embeddings-model", "bag-of-words",
                         "--embeddings-key-env", "EVAL_KEY", write_pairs(tmp_path / "pairs.jsonl"), env=env)
    finally:
        endpoint.close()
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)[0]
    assert {r["path"] for r in endpoint.requests} == {"/v1/embeddings"}
    assert {r["model"] for r in endpoint.requests} == {"bag-of-words"}
    assert {r["authorization"] for r in endpoint.requests} == {"Bearer sk-test"}

    rows = {(row["threshold"], row["guards"]): row for row in report["rows"]}
    assert (rows[(0.7, False)]["true_positives"], rows[(0.7, False)]["false_positives"]) == (1, 3)
    assert (rows[(0.7, True)]["true_positives"], rows[(0.7, True)]["false_positives"]) == (1, 0)
    assert (rows[(0.93, False)]["true_positives"], rows[(0.93, False)]["false_positives"]) == (1, 0)
    gptcache = report["gptcache_default"]
    assert (gptcache["true_positives"], gptcache["false_positives"], gptcache["precision"]) == (1, 2, 0.3333)
    assert report["guarded_recall_ceiling"] == 1
    guarded = report["guarded_at_gptcache_recall"]
    assert (guarded["precision"], guarded["recall"], guarded["false_hit_rate"]) == (1, 1, 0)


def test_says_when_the_guards_cannot_reach_gptcaches_recall(tmp_path):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"a": "Best hotels in Paris", "b": "Best hotels in paris France", "same": True}) + "\n"
                     + json.dumps({"a": "How do I reset my password", "b": "How do I reset my password", "same": True}) + "\n"
                     + json.dumps({"a": "Is order 48213 shipped", "b": "Is order 48231 shipped", "same": False}) + "\n")
    endpoint = BagOfWords()
    try:
        result = reprise("eval-semantic", "--embeddings-url", endpoint.url, "--embeddings-model", "bag-of-words", str(pairs))
        report = json.loads(reprise("eval-semantic", "--json", "--embeddings-url", endpoint.url, "--embeddings-model", "bag-of-words",
                                    str(pairs)).stdout)[0]
    finally:
        endpoint.close()
    assert result.returncode == 0, result.stderr
    assert "with guards at GPTCache's recall (100.0%) or more: none; the guards pass 50.0% of the same pairs" in result.stdout
    # The entities guard vetoes the Paris paraphrase ("France" on one side only), the numbers guard the near
    # miss: each guard left off in turn shows what it costs. Cosine of the paraphrase: 4 / sqrt(4 * 5) = 0.894.
    assert "without the numbers guard (the others pass 50.0% of the same pairs): none" in result.stdout
    assert ("without the entities guard (the others pass 100.0% of the same pairs): threshold 0.894, precision 100.0% (+0.0 points), "
            "recall 100.0%, false hits 0.0%") in result.stdout
    without = {entry["guard"]: entry for entry in report["without_one_guard"]}
    assert set(without) == {"numbers", "entities"}
    assert without["numbers"]["guarded_at_gptcache_recall"] is None and without["numbers"]["guarded_recall_ceiling"] == 0.5
    assert without["entities"]["guarded_recall_ceiling"] == 1 and without["entities"]["guarded_at_gptcache_recall"]["recall"] == 1


def test_a_refused_key_fails_before_any_pair_is_read_and_names_the_endpoint(tmp_path):
    endpoint = BagOfWords(status=401)
    try:
        result = reprise("eval-semantic", "--embeddings-url", endpoint.url, "--embeddings-model", "bag-of-words",
                         str(tmp_path / "absent.jsonl"))
    finally:
        endpoint.close()
    assert result.returncode != 0
    assert endpoint.url in result.stderr and "401" in result.stderr and "Incorrect API key provided" in result.stderr
    assert len(endpoint.requests) == 1


def test_remote_options_must_come_together(tmp_path):
    pairs = write_pairs(tmp_path / "pairs.jsonl")
    alone = reprise("eval-semantic", "--embeddings-url", "http://127.0.0.1:9", pairs)
    assert alone.returncode != 0 and "--embeddings-model" in alone.stderr
    stray = reprise("eval-semantic", "--embeddings-model", "m", pairs)
    assert stray.returncode != 0 and "--embeddings-url" in stray.stderr
    unset = reprise("eval-semantic", "--embeddings-url", "http://127.0.0.1:9", "--embeddings-model", "m",
                    "--embeddings-key-env", "REPRISE_TEST_UNSET_KEY", pairs, env={k: v for k, v in os.environ.items() if k != "REPRISE_TEST_UNSET_KEY"})
    assert unset.returncode != 0 and "REPRISE_TEST_UNSET_KEY" in unset.stderr


def test_a_slow_endpoint_fails_at_the_timeout_given(tmp_path):
    endpoint = BagOfWords(delay=3)
    try:
        started = time.monotonic()
        result = reprise("eval-semantic", "--embeddings-url", endpoint.url, "--embeddings-model", "bag-of-words",
                         "--embeddings-timeout", "0.5", write_pairs(tmp_path / "pairs.jsonl"))
        elapsed = time.monotonic() - started
    finally:
        endpoint.close()
    assert result.returncode != 0
    assert "no answer within 0.5 seconds" in result.stderr and "raise the timeout" in result.stderr
    assert elapsed < 3
    bad = reprise("eval-semantic", "--embeddings-url", endpoint.url, "--embeddings-model", "m", "--embeddings-timeout", "0",
                  write_pairs(tmp_path / "pairs.jsonl"))
    assert bad.returncode != 0 and "--embeddings-timeout must be a number of seconds above 0" in bad.stderr
    for absurd in ("1e300", "nan", "inf"):
        refused = reprise("eval-semantic", "--embeddings-url", endpoint.url, "--embeddings-model", "m",
                          "--embeddings-timeout", absurd, write_pairs(tmp_path / "pairs.jsonl"))
        assert refused.returncode != 0 and "--embeddings-timeout must be" in refused.stderr, (absurd, refused.stderr)


MINILM_DIR = os.environ.get("REPRISE_TEST_MODEL_DIR")
MPNET_DIR = os.environ.get("REPRISE_TEST_MPNET_DIR")


def test_the_second_built_in_model_is_compared_with_gptcache_run_with_the_first(tmp_path):
    if MINILM_DIR is None or MPNET_DIR is None:
        import pytest
        pytest.skip("REPRISE_TEST_MODEL_DIR and REPRISE_TEST_MPNET_DIR are not set; scripts/test.sh installs both models")
    pairs = write_pairs(tmp_path / "pairs.jsonl")
    result = subprocess.run(
        [BINARY, "eval-semantic", "--json", "--builtin-model", "all-mpnet-base-v2", "--models-directory", MPNET_DIR,
         "--gptcache-model", "all-MiniLM-L6-v2", "--gptcache-models-directory", MINILM_DIR, pairs],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    (report,) = json.loads(result.stdout)
    assert report["gptcache_model"] == "all-MiniLM-L6-v2"
    # The one same-meaning pair differs only in case, which both uncased models erase: recall 1 at 0.8 for
    # GPTCache's row, and the evaluated model reaches it too, with and without guards.
    assert report["gptcache_default"]["recall"] == 1.0
    assert report["unguarded_at_gptcache_recall"]["recall"] == 1.0
    assert report["guarded_at_gptcache_recall"]["recall"] == 1.0
    # With guards, only the identical pair can hit: every near miss is vetoed.
    assert report["guarded_at_gptcache_recall"]["false_positives"] == 0
    text = subprocess.run(
        [BINARY, "eval-semantic", "--builtin-model", "all-mpnet-base-v2", "--models-directory", MPNET_DIR,
         "--gptcache-model", "all-MiniLM-L6-v2", "--gptcache-models-directory", MINILM_DIR, pairs],
        capture_output=True, text=True, timeout=600)
    assert "GPTCache default (0.8, no guards, all-MiniLM-L6-v2)" in text.stdout
    assert "without guards at GPTCache's recall (100.0%) or more: threshold" in text.stdout
    assert "with guards at GPTCache's recall (100.0%) or more: threshold" in text.stdout


def test_built_in_model_names_are_checked(tmp_path):
    pairs = write_pairs(tmp_path / "pairs.jsonl")
    unknown = reprise("eval-semantic", "--builtin-model", "bge-small", pairs)
    assert unknown.returncode != 0
    assert "--builtin-model must be all-MiniLM-L6-v2 or all-mpnet-base-v2, got 'bge-small'" in unknown.stderr
    baseline = reprise("eval-semantic", "--gptcache-model", "gpt-4", pairs)
    assert baseline.returncode != 0 and "--gptcache-model must be" in baseline.stderr
    both = reprise("eval-semantic", "--embeddings-url", "http://127.0.0.1:9", "--embeddings-model", "m",
                   "--builtin-model", "all-mpnet-base-v2", pairs)
    assert both.returncode != 0 and "leave them out with --embeddings-url" in both.stderr
