import Reprise

/// Anthropic's event sequence for a finished message: `message_start` (empty content, the input side of
/// `usage`), a `ping`, then for each content block its `content_block_start`, deltas (`text_delta`,
/// `input_json_delta`, `thinking_delta` then `signature_delta`, `citations_delta`) and
/// `content_block_stop`; then `message_delta` with the stop reason and output tokens, and `message_stop`.
struct MessageStreamReplay {
    let message: JSONValue

    func events() -> [ServerSentEvent] {
        var started = message.objectValue ?? [:]
        started["content"] = []
        started["stop_reason"] = nil as JSONValue
        started["stop_sequence"] = nil as JSONValue
        var usage = message["usage"]?.objectValue ?? [:]
        let outputTokens = usage["output_tokens"] ?? 0
        usage["output_tokens"] = 0
        started["usage"] = .object(usage)
        var events = [event("message_start", ["message": .object(started)]), event("ping", [:])]
        for (position, block) in (message["content"]?.arrayValue ?? []).enumerated() {
            events += blockEvents(block, index: .number(JSONNumber(position)))
        }
        let delta: JSONValue = ["stop_reason": message["stop_reason"] ?? "end_turn", "stop_sequence": message["stop_sequence"] ?? nil]
        events.append(event("message_delta", ["delta": delta, "usage": ["output_tokens": outputTokens]]))
        events.append(event("message_stop", [:]))
        return events
    }

    private func event(_ type: String, _ fields: [String: JSONValue]) -> ServerSentEvent {
        var body = fields
        body["type"] = .string(type)
        return ServerSentEvent(name: type, data: JSONValue.object(body).canonicalText)
    }

    private func blockEvents(_ block: JSONValue, index: JSONValue) -> [ServerSentEvent] {
        guard case .object(var opening) = block else { return [] }
        var deltas: [JSONValue] = []
        func pieces(_ field: String, as type: String, key: String) {
            let text = block[field]?.stringValue ?? ""
            opening[field] = ""
            for piece in ReplayText.pieces(of: text) { deltas.append(["type": .string(type), key: .string(piece)]) }
        }
        switch block["type"]?.stringValue {
        case "text":
            if let citations = block["citations"]?.arrayValue {
                opening["citations"] = []
                deltas += citations.map { ["type": "citations_delta", "citation": $0] }
            }
            pieces("text", as: "text_delta", key: "text")
        case "thinking":
            pieces("thinking", as: "thinking_delta", key: "thinking")
            opening["signature"] = ""
            if let signature = block["signature"]?.stringValue, !signature.isEmpty {
                deltas.append(["type": "signature_delta", "signature": .string(signature)])
            }
        case "tool_use":
            opening["input"] = [:]
            let input = (block["input"] ?? [:]).canonicalText
            for piece in ReplayText.pieces(of: input) { deltas.append(["type": "input_json_delta", "partial_json": .string(piece)]) }
        default:
            break  // redacted thinking, server tool results: sent whole in their start event
        }
        var events = [event("content_block_start", ["index": index, "content_block": .object(opening)])]
        events += deltas.map { event("content_block_delta", ["index": index, "delta": $0]) }
        events.append(event("content_block_stop", ["index": index]))
        return events
    }
}
