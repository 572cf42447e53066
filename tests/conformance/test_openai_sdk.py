"""The official OpenAI Python SDK, pointed at the gateway, sees the same API with answers served from cache."""
import uuid

import openai
import pytest
from openai import OpenAI


@pytest.fixture
def client(gateway):
    # A fresh key per test gives each test its own namespace, so tests cannot hit each other's entries.
    return OpenAI(base_url=gateway, api_key=f"sk-test-{uuid.uuid4()}", max_retries=0)


def unique(text: str) -> str:
    return f"{text} [{uuid.uuid4()}]"


def test_completion_twice_second_is_hit_with_same_content(client):
    messages = [{"role": "user", "content": unique("What is the capital of France?")}]
    first = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=messages)
    second = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=messages)
    assert first.headers["x-reprise-status"] == "miss"
    assert second.headers["x-reprise-status"] == "hit"
    assert second.headers["cache-status"].startswith("reprise; hit")
    first_completion, second_completion = first.parse(), second.parse()
    assert second_completion.choices[0].message.content == first_completion.choices[0].message.content
    assert second_completion.id == first_completion.id
    assert second_completion.usage.total_tokens == first_completion.usage.total_tokens


def test_tool_call_completion_is_cached_whole(client):
    tools = [{
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Weather for a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
        },
    }]
    messages = [{"role": "user", "content": unique("Weather in Paris?")}]
    first = client.chat.completions.create(model="gpt-4o-mini", messages=messages, tools=tools)
    raw = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=messages, tools=tools)
    second = raw.parse()
    assert raw.headers["x-reprise-status"] == "hit"
    assert first.choices[0].finish_reason == "tool_calls"
    call, cached_call = first.choices[0].message.tool_calls[0], second.choices[0].message.tool_calls[0]
    assert call.function.name == "get_weather"
    assert (cached_call.id, cached_call.function.name, cached_call.function.arguments) == (
        call.id, call.function.name, call.function.arguments)


def test_embeddings_are_cached(client):
    text = unique("The quick brown fox")
    first = client.embeddings.create(model="text-embedding-3-small", input=text)
    raw = client.embeddings.with_raw_response.create(model="text-embedding-3-small", input=text)
    assert raw.headers["x-reprise-status"] == "hit"
    second = raw.parse()
    assert len(first.data[0].embedding) > 0
    assert second.data[0].embedding == first.data[0].embedding


def test_upstream_error_surfaces_as_the_sdks_own_exception(client):
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model="error-429", messages=[{"role": "user", "content": "hi"}])
    assert caught.value.status_code == 429
    # Errors are never cached: the same request fails upstream again, with the upstream's own body.
    with pytest.raises(openai.RateLimitError):
        client.chat.completions.create(model="error-429", messages=[{"role": "user", "content": "hi"}])


def test_gateway_errors_use_openais_shape(client):
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], extra_headers={"X-Reprise-TTL": "soon"})
    assert caught.value.code == "invalid_header"
    assert "X-Reprise-TTL" in caught.value.message


def test_unreachable_upstream_is_a_server_error():
    # A gateway whose upstream is a closed port answers 502, which the SDK raises as InternalServerError.
    import os
    import socket
    import subprocess
    import tempfile
    from conftest import BINARY, free_port, wait_until_listening

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    port = free_port()
    server = subprocess.Popen(
        [BINARY, "serve", "--port", str(port), "--upstream", f"http://127.0.0.1:{closed}",
         "--state-dir", tempfile.mkdtemp(), "--log-level", "error"])
    try:
        wait_until_listening(f"http://127.0.0.1:{port}/health", server, "gateway")
        client = OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="sk-test", max_retries=0)
        with pytest.raises(openai.InternalServerError) as caught:
            client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
        assert caught.value.status_code == 502
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_pass_through_route(client):
    models = client.models.list()
    assert "gpt-4o-mini" in [model.id for model in models.data]


def stream_text(stream):
    """Joins a chat-completion stream's content deltas, as an app would; returns (text, usage, tool calls)."""
    text, usage, calls = "", None, {}
    for chunk in stream:
        if chunk.usage:
            usage = chunk.usage.model_dump()
        for choice in chunk.choices:
            text += choice.delta.content or ""
            for call in choice.delta.tool_calls or []:
                entry = calls.setdefault(call.index, {"id": None, "name": "", "arguments": ""})
                entry["id"] = call.id or entry["id"]
                if call.function:
                    entry["name"] += call.function.name or ""
                    entry["arguments"] += call.function.arguments or ""
    return text, usage, calls


def streamed(client, **arguments):
    with client.chat.completions.with_streaming_response.create(stream=True, **arguments) as response:
        return response.headers["x-reprise-status"], stream_text(response.parse())


def test_streamed_completion_twice_second_is_a_hit_with_the_same_text(client):
    messages = [{"role": "user", "content": unique("Tell me about caching.")}]
    first_status, (first_text, _, _) = streamed(client, model="gpt-4o-mini", messages=messages)
    second_status, (second_text, _, _) = streamed(client, model="gpt-4o-mini", messages=messages)
    assert (first_status, second_status) == ("miss", "hit")
    assert first_text and second_text == first_text


def test_streamed_tool_calls_reassemble_from_a_hit(client):
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}]
    messages = [{"role": "user", "content": unique("Weather in Lisbon?")}]
    _, (_, _, first_calls) = streamed(client, model="gpt-4o-mini", messages=messages, tools=tools)
    status, (_, _, second_calls) = streamed(client, model="gpt-4o-mini", messages=messages, tools=tools)
    assert status == "hit"
    assert first_calls[0]["name"] == "get_weather"
    assert second_calls == first_calls


def test_include_usage_is_replayed(client):
    messages = [{"role": "user", "content": unique("Count my tokens.")}]
    options = {"include_usage": True}
    _, (_, first_usage, _) = streamed(client, model="gpt-4o-mini", messages=messages, stream_options=options)
    status, (_, second_usage, _) = streamed(client, model="gpt-4o-mini", messages=messages, stream_options=options)
    assert status == "hit"
    assert first_usage and second_usage == first_usage


def test_stream_helper_gets_the_same_final_completion_from_a_hit(client):
    messages = [{"role": "user", "content": unique("Summarise the plot of Hamlet.")}]
    with client.chat.completions.stream(model="gpt-4o-mini", messages=messages) as stream:
        first = stream.get_final_completion()
    with client.chat.completions.stream(model="gpt-4o-mini", messages=messages) as stream:
        second = stream.get_final_completion()
    assert second.choices[0].message.content == first.choices[0].message.content
    non_streamed = client.chat.completions.with_raw_response.create(model="gpt-4o-mini", messages=messages)
    assert non_streamed.headers["x-reprise-status"] == "hit"
    assert non_streamed.parse().choices[0].message.content == first.choices[0].message.content


def test_responses_api_stream_replayed_from_a_hit(client):
    prompt = unique("Name three rivers.")
    whole = client.responses.create(model="gpt-4o-mini", input=prompt)
    with client.responses.with_streaming_response.create(model="gpt-4o-mini", input=prompt, stream=True) as response:
        assert response.headers["x-reprise-status"] == "hit"
        events = list(response.parse())
    deltas = "".join(event.delta for event in events if event.type == "response.output_text.delta")
    completed = [event for event in events if event.type == "response.completed"]
    assert deltas == whole.output_text
    assert len(completed) == 1 and completed[0].response.output_text == whole.output_text


def test_stream_helper_final_completion_from_a_hit_is_the_original(client):
    # The fake upstream gives every call a new id, so an equal id means the second answer came from cache.
    messages = [{"role": "user", "content": unique("Explain idempotency briefly.")}]
    with client.chat.completions.stream(model="gpt-4o-mini", messages=messages) as stream:
        first = stream.get_final_completion()
    with client.chat.completions.stream(model="gpt-4o-mini", messages=messages) as stream:
        second = stream.get_final_completion()
    assert first.choices[0].message.content
    assert (second.id, second.choices[0].message.content) == (first.id, first.choices[0].message.content)
    assert second.choices[0].finish_reason == "stop"


def test_stream_cut_off_upstream_is_an_error_and_is_not_cached(client):
    messages = [{"role": "user", "content": unique("Break off, please.")}]
    for _ in range(2):
        with client.chat.completions.with_streaming_response.create(
                model="cut-stream", messages=messages, stream=True) as response:
            # Never a hit: the broken stream was not stored.
            assert response.headers["x-reprise-status"] == "miss"
            # The connection breaks off without the final chunk, and the SDK says so.
            with pytest.raises(openai.APIConnectionError):
                stream_text(response.parse())


def test_text_completion_stream_twice_second_is_a_hit(client):
    prompt = unique("Write a haiku about caches.")

    def streamed_text():
        with client.completions.with_streaming_response.create(
                model="gpt-3.5-turbo-instruct", prompt=prompt, stream=True) as response:
            chunks = list(response.parse())
            return response.headers["x-reprise-status"], "".join(chunk.choices[0].text for chunk in chunks if chunk.choices)

    first_status, first_text = streamed_text()
    second_status, second_text = streamed_text()
    assert (first_status, second_status) == ("miss", "hit")
    assert first_text and second_text == first_text


def responses_stream(client, **arguments):
    with client.responses.with_streaming_response.create(stream=True, **arguments) as response:
        return response.headers["x-reprise-status"], list(response.parse())


def test_responses_stream_twice_second_is_a_hit_with_the_same_response(client):
    prompt = unique("Name three mountains.")
    first_status, first_events = responses_stream(client, model="gpt-4o-mini", input=prompt)
    second_status, second_events = responses_stream(client, model="gpt-4o-mini", input=prompt)
    assert (first_status, second_status) == ("miss", "hit")
    for events in (first_events, second_events):
        assert events[0].type == "response.created"
        assert events[-1].type == "response.completed"
        assert [event.sequence_number for event in events] == list(range(len(events)))
    first_done, second_done = first_events[-1].response, second_events[-1].response
    assert first_done.output_text
    assert (second_done.id, second_done.output_text) == (first_done.id, first_done.output_text)
    assert second_done.usage.total_tokens == first_done.usage.total_tokens
    deltas = "".join(event.delta for event in second_events if event.type == "response.output_text.delta")
    assert deltas == first_done.output_text


def test_responses_stream_helper_gets_the_same_final_response_from_a_hit(client):
    prompt = unique("Name three lakes.")
    with client.responses.stream(model="gpt-4o-mini", input=prompt) as stream:
        first = stream.get_final_response()
    with client.responses.stream(model="gpt-4o-mini", input=prompt) as stream:
        second = stream.get_final_response()
    assert first.output_text
    assert (second.id, second.output_text) == (first.id, first.output_text)
