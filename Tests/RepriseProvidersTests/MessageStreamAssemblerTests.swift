import Reprise
import Testing

@testable import RepriseProviders

/// Anthropic Messages streams assembled into the whole message, and replayed back into the same message.
@Suite struct MessageStreamAssemblerTests {
    static func event(_ type: String, _ fields: JSONValue = [:]) -> ServerSentEvent {
        guard case .object(var members) = fields else { return ServerSentEvent(name: type, data: "") }
        members["type"] = .string(type)
        return ServerSentEvent(name: type, data: JSONValue.object(members).canonicalText)
    }

    static let start = event("message_start", ["message": [
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-6", "content": [],
        "stop_reason": nil, "stop_sequence": nil,
        "usage": ["input_tokens": 12, "output_tokens": 1, "cache_read_input_tokens": 2048, "cache_creation_input_tokens": 0],
    ]])

    static let toolStream: [ServerSentEvent] = [
        start,
        event("content_block_start", ["index": 0, "content_block": ["type": "text", "text": ""]]),
        event("ping"),
        event("content_block_delta", ["index": 0, "delta": ["type": "text_delta", "text": "Let me "]]),
        event("content_block_delta", ["index": 0, "delta": ["type": "text_delta", "text": "check."]]),
        event("content_block_stop", ["index": 0]),
        event("content_block_start", ["index": 1, "content_block": ["type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": [:]]]),
        event("content_block_delta", ["index": 1, "delta": ["type": "input_json_delta", "partial_json": ""]]),
        event("content_block_delta", ["index": 1, "delta": ["type": "input_json_delta", "partial_json": #"{"city": "Os"#]]),
        event("content_block_delta", ["index": 1, "delta": ["type": "input_json_delta", "partial_json": #"lo"}"#]]),
        event("content_block_stop", ["index": 1]),
        event("message_delta", ["delta": ["stop_reason": "tool_use", "stop_sequence": nil], "usage": ["output_tokens": 42]]),
        event("message_stop"),
    ]

    static func assemble(_ events: [ServerSentEvent]) -> MessageStreamAssembler {
        var assembler = MessageStreamAssembler()
        for event in events { assembler.consume(event) }
        return assembler
    }

    @Test func aToolUseStreamAssemblesIntoTheWholeMessage() throws {
        let assembler = Self.assemble(Self.toolStream)
        #expect(assembler.isComplete)
        let message = try #require(assembler.assembledBody())
        #expect(message["content"] == [
            ["type": "text", "text": "Let me check."],
            ["type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": ["city": "Oslo"]],
        ])
        #expect(message["stop_reason"] == "tool_use")
        // Input-side usage from message_start, output tokens from message_delta.
        #expect(message["usage"] == ["input_tokens": 12, "output_tokens": 42, "cache_read_input_tokens": 2048, "cache_creation_input_tokens": 0])
        #expect(TokenUsage(anthropicResponse: message) == TokenUsage(promptTokens: 2060, completionTokens: 42, cachedPromptTokens: 2048))
    }

    @Test func theReplayAssemblesBackIntoTheSameMessage() throws {
        let original = try #require(Self.assemble(Self.toolStream).assembledBody())
        let thinking = original.setting(
            .array([["type": "thinking", "thinking": "Weather needs a tool.", "signature": "sig_abc"]] + (original["content"]?.arrayValue ?? [])),
            at: "content")
        for message in [original, thinking] {
            let replay = MessageStreamReplay(message: message).events()
            #expect(replay.first?.name == "message_start")
            #expect(replay.last?.name == "message_stop")
            #expect(Self.assemble(replay).assembledBody() == message)
        }
    }

    @Test(arguments: [
        ("no message_stop", Array(toolStream.dropLast())),
        ("an error event", Array(toolStream.dropLast()) + [event("error", ["error": ["type": "overloaded_error", "message": "Overloaded"]])]),
        ("tool input that is not JSON", toolStream.map { event in
            event.data.contains(#"lo\"}"#) ? MessageStreamAssemblerTests.event("content_block_delta", ["index": 1, "delta": ["type": "input_json_delta", "partial_json": "lo"]]) : event
        }),
        ("no message_start", Array(toolStream.dropFirst())),
    ])
    func incompleteStreamsAreNotAssembled(case name: String, events: [ServerSentEvent]) {
        let assembler = Self.assemble(events)
        #expect(assembler.assembledBody() == nil, "\(name)")
    }
}

extension JSONValue {
    fileprivate func setting(_ value: JSONValue, at field: String) -> JSONValue {
        guard case .object(var members) = self else { return self }
        members[field] = value
        return .object(members)
    }
}
