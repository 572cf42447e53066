import Reprise

/// Turns a cached chat or text completion back into the event stream the upstream would have sent, so an
/// SDK reassembles exactly the cached text: for chat completions a role chunk, content or tool-call chunks,
/// a finish chunk, a usage chunk when `stream_options.include_usage` is set, then `[DONE]`.
struct ChoiceStreamReplay: Sendable {
    var kind: ChoiceStreamAssembler.Kind
    var includeUsage: Bool

    func events(for body: JSONValue) -> [ServerSentEvent] {
        switch kind {
        case .chat: chatEvents(body)
        case .text: textEvents(body)
        }
    }

    private func chunk(_ body: JSONValue, object: String, choices: [JSONValue]) -> ServerSentEvent {
        var members: [String: JSONValue] = ["object": .string(object), "choices": .array(choices)]
        for field in ["id", "created", "model", "system_fingerprint", "service_tier"] {
            if let value = body[field] { members[field] = value }
        }
        if includeUsage { members["usage"] = nil as JSONValue }
        return ServerSentEvent(data: JSONValue.object(members).canonicalText)
    }

    private func usageEvent(_ body: JSONValue, object: String) -> [ServerSentEvent] {
        guard includeUsage else { return [] }
        var event = chunk(body, object: object, choices: [])
        if case .object(var members) = try? JSONParser.parse(event.data) {
            members["usage"] = body["usage"] ?? nil
            event = ServerSentEvent(data: JSONValue.object(members).canonicalText)
        }
        return [event]
    }

    private func chatEvents(_ body: JSONValue) -> [ServerSentEvent] {
        let object = "chat.completion.chunk"
        var events: [ServerSentEvent] = []
        for choice in body["choices"]?.arrayValue ?? [] {
            let index = choice["index"] ?? 0
            let message = choice["message"] ?? [:]
            func delta(_ delta: JSONValue, finish: JSONValue = nil) -> ServerSentEvent {
                chunk(body, object: object, choices: [["index": index, "delta": delta, "logprobs": nil, "finish_reason": finish]])
            }
            // As the providers do: an empty string opens a text answer, null a tool-call-only one.
            let opening: JSONValue = message["content"]?.stringValue == nil ? nil : ""
            events.append(delta(["role": message["role"] ?? "assistant", "content": opening, "refusal": nil]))
            for piece in ReplayText.pieces(of: message["content"]?.stringValue ?? "") {
                events.append(delta(["content": .string(piece)]))
            }
            if let refusal = message["refusal"]?.stringValue {
                events.append(delta(["refusal": .string(refusal)]))
            }
            for (position, call) in (message["tool_calls"]?.arrayValue ?? []).enumerated() {
                let number = JSONValue.number(JSONNumber(position))
                let name = call["function"]?["name"] ?? ""
                events.append(delta(["tool_calls": [["index": number, "id": call["id"] ?? nil, "type": call["type"] ?? "function", "function": ["name": name, "arguments": ""]]]]))
                for piece in ReplayText.pieces(of: call["function"]?["arguments"]?.stringValue ?? "") {
                    events.append(delta(["tool_calls": [["index": number, "function": ["arguments": .string(piece)]]]]))
                }
            }
            events.append(delta([:], finish: choice["finish_reason"] ?? "stop"))
        }
        return events + usageEvent(body, object: object) + [ServerSentEvent(data: "[DONE]")]
    }

    private func textEvents(_ body: JSONValue) -> [ServerSentEvent] {
        let object = "text_completion"
        var events: [ServerSentEvent] = []
        for choice in body["choices"]?.arrayValue ?? [] {
            let index = choice["index"] ?? 0
            for piece in ReplayText.pieces(of: choice["text"]?.stringValue ?? "") {
                events.append(chunk(body, object: object, choices: [["index": index, "text": .string(piece), "logprobs": nil, "finish_reason": nil]]))
            }
            events.append(chunk(body, object: object, choices: [["index": index, "text": "", "logprobs": nil, "finish_reason": choice["finish_reason"] ?? "stop"]]))
        }
        return events + usageEvent(body, object: object) + [ServerSentEvent(data: "[DONE]")]
    }
}
