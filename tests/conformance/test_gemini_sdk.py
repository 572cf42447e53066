"""The official `google-genai` Python SDK, pointed at the gateway through its base-URL option, gets Gemini's
answers with repeats served from the cache."""
import uuid

import pytest
from google import genai
from google.genai import errors, types

MODEL = "gemini-2.5-flash"


def client(root, key=None):
    return genai.Client(
        api_key=key or f"gemini-test-{uuid.uuid4()}",
        http_options=types.HttpOptions(base_url=root, api_version="v1beta"))


def unique(text):
    return f"{text} [{uuid.uuid4()}]"


def test_generate_twice_the_second_is_served_from_the_cache(four_upstreams):
    root, fakes = four_upstreams
    gemini = client(root)
    prompt = unique("Why is the sky blue?")
    before = fakes["gemini"].calls_for(MODEL)
    first = gemini.models.generate_content(model=MODEL, contents=prompt)
    second = gemini.models.generate_content(model=MODEL, contents=prompt)
    assert first.text and second.text == first.text
    assert second.usage_metadata.total_token_count == first.usage_metadata.total_token_count
    assert fakes["gemini"].calls_for(MODEL) == before + 1
    assert second.sdk_http_response.headers["x-reprise-status"] == "hit"


def test_stream_twice_gives_the_same_text_without_a_second_upstream_call(four_upstreams):
    root, fakes = four_upstreams
    gemini = client(root)
    prompt = unique("Tell a short story about a lighthouse keeper.")
    before = fakes["gemini"].calls_for(MODEL)
    first = "".join(chunk.text or "" for chunk in gemini.models.generate_content_stream(model=MODEL, contents=prompt))
    second = "".join(chunk.text or "" for chunk in gemini.models.generate_content_stream(model=MODEL, contents=prompt))
    assert first and second == first
    assert fakes["gemini"].calls_for(MODEL) == before + 1
    whole = gemini.models.generate_content(model=MODEL, contents=prompt)
    assert whole.text == first, "a streamed and a whole request for one prompt share an entry"
    assert fakes["gemini"].calls_for(MODEL) == before + 1


def test_another_key_does_not_share_entries(four_upstreams):
    root, fakes = four_upstreams
    prompt = unique("Name a prime number.")
    before = fakes["gemini"].calls_for(MODEL)
    # Each client is kept in a variable: the SDK closes its HTTP client when the object is dropped.
    alice, bob = client(root, "gemini-key-alice"), client(root, "gemini-key-bob")
    alice.models.generate_content(model=MODEL, contents=prompt)
    bob.models.generate_content(model=MODEL, contents=prompt)
    assert fakes["gemini"].calls_for(MODEL) == before + 2


def test_a_500_surfaces_as_a_server_error_and_is_not_cached(four_upstreams):
    root, fakes = four_upstreams
    gemini = client(root)
    prompt = unique("Fail, please.")
    before = fakes["gemini"].calls_for("error-500")
    for _ in range(2):
        with pytest.raises(errors.ServerError) as raised:
            gemini.models.generate_content(model="error-500", contents=prompt)
        assert raised.value.code == 500
    assert fakes["gemini"].calls_for("error-500") == before + 2


def test_a_broken_off_stream_is_not_stored(four_upstreams):
    root, fakes = four_upstreams
    gemini = client(root)
    prompt = unique("Count to ten.")
    before = fakes["gemini"].calls_for("cut-stream")
    for _ in range(2):
        try:
            for _chunk in gemini.models.generate_content_stream(model="cut-stream", contents=prompt):
                pass
        except Exception:
            pass
    assert fakes["gemini"].calls_for("cut-stream") == before + 2


def test_gemini_never_reaches_the_openai_upstream(four_upstreams):
    root, fakes = four_upstreams
    before = fakes["openai"].total()
    gemini = client(root)
    gemini.models.generate_content(model=MODEL, contents=unique("Hello"))
    assert fakes["openai"].total() == before
