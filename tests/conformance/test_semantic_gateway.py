"""Semantic matching with the real `reprise` binary and the real all-MiniLM-L6-v2 model (installed by
scripts/test.sh): the official OpenAI SDK's paraphrase answered from the original's entry, a negated question
refused by the guards, and the semantic entries surviving a gateway restart on its SQLite file."""
import os
import tempfile

import pytest
from openai import OpenAI

from test_shared_stores import start_gateway, stop, upstream  # noqa: F401  (the fixture)

MODEL_DIRECTORY = os.environ.get("REPRISE_TEST_MODEL_DIR")
needs_model = pytest.mark.skipif(
    MODEL_DIRECTORY is None, reason="REPRISE_TEST_MODEL_DIR is not set; scripts/test.sh installs the model and sets it")

CONFIG = """
semantic:
  enabled: true
  default: on
  threshold: 0.9
  verify_rate: 0
  model_directory: {directory}
"""


def ask(client, prompt):
    raw = client.chat.completions.with_raw_response.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])
    return raw.headers, raw.parse()


@needs_model
def test_a_paraphrase_is_served_from_the_original_and_survives_a_restart(upstream):  # noqa: F811
    store = "sqlite://" + os.path.join(tempfile.mkdtemp(prefix="reprise-semantic-"), "cache.db")
    config = CONFIG.format(directory=MODEL_DIRECTORY)

    gateway, url = start_gateway(upstream, store, config)
    try:
        client = OpenAI(base_url=url + "/v1", api_key="sk-semantic-test", timeout=60)
        headers, original = ask(client, "How do I reset my password?")
        assert headers["x-reprise-status"] == "miss"

        headers, paraphrased = ask(client, "How can I reset my password?")
        assert headers["x-reprise-status"] == "semantic-hit", dict(headers)
        assert float(headers["x-reprise-similarity"]) >= 0.9
        assert headers["x-reprise-matched-key"] != headers["x-reprise-key"]
        assert "detail=semantic" in headers["cache-status"]
        assert paraphrased.choices[0].message.content == original.choices[0].message.content

        # Similar wording, opposite meaning: the negation guard refuses it whatever the similarity.
        ask(client, "Is it safe to take ibuprofen during pregnancy?")
        headers, _ = ask(client, "Is it not safe to take ibuprofen during pregnancy?")
        assert headers["x-reprise-status"] == "miss"
    finally:
        stop(gateway)

    # A new process on the same file: its index is empty, the scope lists in the store fill it.
    gateway, url = start_gateway(upstream, store, config)
    try:
        client = OpenAI(base_url=url + "/v1", api_key="sk-semantic-test", timeout=60)
        headers, again = ask(client, "How could I reset my password?")
        assert headers["x-reprise-status"] == "semantic-hit", dict(headers)
        assert again.choices[0].message.content == original.choices[0].message.content
    finally:
        stop(gateway)
