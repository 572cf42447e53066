"""The official `openai` SDK's `AzureOpenAI` client, pointed at the gateway, gets Azure OpenAI's answers with
repeats served from the cache; and one gateway routes four upstreams by provider and model."""
import uuid

import openai
import pytest
from openai import AzureOpenAI, OpenAI

API_VERSION = "2024-10-21"
DEPLOYMENT = "gpt-4o-mini"


def azure(root, key=None):
    return AzureOpenAI(azure_endpoint=root, api_key=key or f"azure-{uuid.uuid4()}", api_version=API_VERSION, max_retries=0)


def unique(text):
    return f"{text} [{uuid.uuid4()}]"


def test_azure_completion_twice_the_second_is_a_hit(four_upstreams):
    root, fakes = four_upstreams
    client = azure(root)
    messages = [{"role": "user", "content": unique("What is Azure?")}]
    first = client.chat.completions.with_raw_response.create(model=DEPLOYMENT, messages=messages)
    second = client.chat.completions.with_raw_response.create(model=DEPLOYMENT, messages=messages)
    assert first.headers["x-reprise-status"] == "miss"
    assert second.headers["x-reprise-status"] == "hit"
    assert second.parse().choices[0].message.content == first.parse().choices[0].message.content


def test_azure_stream_twice_replays_the_same_text(four_upstreams):
    root, fakes = four_upstreams
    client = azure(root)
    messages = [{"role": "user", "content": unique("Stream a haiku.")}]
    before = fakes["azure"].calls_for(DEPLOYMENT)
    texts = []
    for _ in range(2):
        stream = client.chat.completions.create(model=DEPLOYMENT, messages=messages, stream=True)
        texts.append("".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices))
    assert texts[0] and texts[1] == texts[0]
    assert fakes["azure"].calls_for(DEPLOYMENT) == before + 1


def test_the_api_version_is_part_of_the_key(four_upstreams):
    root, fakes = four_upstreams
    key = f"azure-{uuid.uuid4()}"
    messages = [{"role": "user", "content": unique("Versioned question")}]
    old = AzureOpenAI(azure_endpoint=root, api_key=key, api_version="2024-06-01", max_retries=0)
    new = AzureOpenAI(azure_endpoint=root, api_key=key, api_version=API_VERSION, max_retries=0)
    first = old.chat.completions.with_raw_response.create(model=DEPLOYMENT, messages=messages)
    second = new.chat.completions.with_raw_response.create(model=DEPLOYMENT, messages=messages)
    assert first.headers["x-reprise-status"] == "miss"
    assert second.headers["x-reprise-status"] == "miss"


def test_an_azure_500_is_an_internal_server_error_and_not_cached(four_upstreams):
    root, fakes = four_upstreams
    client = azure(root)
    messages = [{"role": "user", "content": unique("Fail")}]
    before = fakes["azure"].calls_for("error-500")
    for _ in range(2):
        with pytest.raises(openai.InternalServerError):
            client.chat.completions.create(model="error-500", messages=messages)
    assert fakes["azure"].calls_for("error-500") == before + 2


def test_four_upstreams_each_request_reaches_its_own(four_upstreams):
    root, fakes = four_upstreams
    plain = OpenAI(base_url=f"{root}/v1", api_key=f"sk-{uuid.uuid4()}", max_retries=0)
    counts = {name: fake.total() for name, fake in fakes.items()}
    for model in ("llama-3.1-8b", "llama-3.2-1b"):
        messages = [{"role": "user", "content": unique("Which server am I?")}]
        first = plain.chat.completions.with_raw_response.create(model=model, messages=messages)
        second = plain.chat.completions.with_raw_response.create(model=model, messages=messages)
        assert second.headers["x-reprise-status"] == "hit"
        stream = plain.chat.completions.create(model=model, messages=[{"role": "user", "content": unique("stream")}], stream=True)
        assert "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
    assert fakes["openai"].total() == counts["openai"], "a llama-* model reached the OpenAI upstream"
    assert fakes["local"].total() == counts["local"] + 4
    plain.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": unique("Hi")}])
    assert fakes["openai"].total() == counts["openai"] + 1
    assert fakes["local"].total() == counts["local"] + 4
    azure(root).chat.completions.create(model=DEPLOYMENT, messages=[{"role": "user", "content": unique("Hi Azure")}])
    assert fakes["azure"].total() == counts["azure"] + 1
    assert fakes["openai"].total() == counts["openai"] + 1, "an Azure request reached the OpenAI upstream"
