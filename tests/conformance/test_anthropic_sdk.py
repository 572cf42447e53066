"""The official Anthropic Python SDK, pointed at the gateway, sees the Messages API with answers served from cache."""
import json
import uuid

import anthropic
import pytest
from anthropic import Anthropic

MODEL = "claude-sonnet-4-6"
TOOLS = [{
    "name": "get_weather",
    "description": "Weather for a city",
    "input_schema": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]},
}]


@pytest.fixture
def client(gateway):
    # The Anthropic SDK adds /v1 itself. A fresh key per test gives each test its own namespace.
    return Anthropic(base_url=gateway.removesuffix("/v1"), api_key=f"sk-ant-test-{uuid.uuid4()}", max_retries=0)


def unique(text: str) -> str:
    return f"{text} [{uuid.uuid4()}]"


def test_create_twice_second_is_a_hit_with_the_same_message(client):
    messages = [{"role": "user", "content": unique("What is the capital of Norway?")}]
    first = client.messages.with_raw_response.create(model=MODEL, max_tokens=256, messages=messages)
    second = client.messages.with_raw_response.create(model=MODEL, max_tokens=256, messages=messages)
    assert first.headers["x-reprise-status"] == "miss"
    assert second.headers["x-reprise-status"] == "hit"
    assert second.headers["cache-status"].startswith("reprise; hit")
    first_message, second_message = first.parse(), second.parse()
    assert second_message.id == first_message.id
    assert second_message.content[0].text == first_message.content[0].text
    assert second_message.usage.output_tokens == first_message.usage.output_tokens


def test_stream_twice_second_is_a_hit_with_the_same_text(client):
    messages = [{"role": "user", "content": unique("Tell me about fjords.")}]
    with client.messages.stream(model=MODEL, max_tokens=256, messages=messages) as stream:
        first_text = "".join(stream.text_stream)
        first_message = stream.get_final_message()
    with client.messages.stream(model=MODEL, max_tokens=256, messages=messages) as stream:
        assert stream.response.headers["x-reprise-status"] == "hit"
        second_text = "".join(stream.text_stream)
        second_message = stream.get_final_message()
    assert first_text
    assert second_text == first_text
    assert second_message.id == first_message.id
    assert second_message.stop_reason == first_message.stop_reason == "end_turn"
    assert second_message.usage.output_tokens == first_message.usage.output_tokens
    # A whole request for the same prompt is answered from the entry the stream stored.
    whole = client.messages.with_raw_response.create(model=MODEL, max_tokens=256, messages=messages)
    assert whole.headers["x-reprise-status"] == "hit"
    assert whole.parse().content[0].text == first_text


def test_tool_use_turn_streamed_and_replayed(client):
    question = unique("What is the weather in Bergen?")
    messages = [{"role": "user", "content": question}]
    with client.messages.stream(model=MODEL, max_tokens=256, messages=messages, tools=TOOLS) as stream:
        first = stream.get_final_message()
    with client.messages.stream(model=MODEL, max_tokens=256, messages=messages, tools=TOOLS) as stream:
        assert stream.response.headers["x-reprise-status"] == "hit"
        second = stream.get_final_message()
    assert first.stop_reason == second.stop_reason == "tool_use"
    call = second.content[0]
    assert call.type == "tool_use"
    assert call.name == "get_weather"
    assert call.id == first.content[0].id
    assert call.input == first.content[0].input == {"query": question}
    # The next turn carries the tool's result and gets a text answer.
    follow_up = messages + [
        {"role": "assistant", "content": [block.model_dump(exclude_none=True) for block in second.content]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": call.id, "content": json.dumps({"sky": "clear"})}]},
    ]
    answer = client.messages.create(model=MODEL, max_tokens=256, messages=follow_up, tools=TOOLS)
    assert answer.stop_reason == "end_turn"
    assert answer.content[0].type == "text"


def test_upstream_error_surfaces_as_the_sdks_own_exception(client):
    with pytest.raises(anthropic.AuthenticationError) as caught:
        client.messages.create(model="error-401", max_tokens=16, messages=[{"role": "user", "content": "hi"}])
    assert caught.value.status_code == 401
    assert caught.value.body["error"]["type"] == "authentication_error"


def test_gateway_errors_use_anthropics_shape(client):
    with pytest.raises(anthropic.BadRequestError) as caught:
        client.messages.create(model="", max_tokens=16, messages=[{"role": "user", "content": "hi"}])
    assert caught.value.body["type"] == "error"
    assert caught.value.body["error"]["type"] == "invalid_request_error"
    assert "model" in caught.value.body["error"]["message"]


def test_count_tokens_passes_through(client):
    counted = client.messages.count_tokens(model=MODEL, messages=[{"role": "user", "content": "Count these words."}])
    assert counted.input_tokens > 0
