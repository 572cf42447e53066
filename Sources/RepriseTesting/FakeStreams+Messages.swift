import Reprise

extension FakeStreams {
    /// Anthropic's events for the fake's message, as the API sends them: `message_start` (no content,
    /// one output token so far), the first block's `content_block_start`, a `ping`, the deltas
    /// (`thinking_delta` and `signature_delta`, `input_json_delta` opening with an empty fragment,
    /// `text_delta`), `content_block_stop` for each block, `message_delta` with the stop reason and the
    /// output tokens, then `message_stop`.
    static func message(_ complete: JSONValue) -> [String] {
        var events: [String] = []
        func send(_ type: String, _ payload: JSONValue) {
            guard case .object(var fields) = payload else { return }
            fields["type"] = .string(type)
            events.append("event: \(type)\ndata: \(JSONValue.object(fields).canonicalText)\n\n")
        }
        var head = complete.objectValue ?? [:]
        head["content"] = []
        head["stop_reason"] = .null
        var usage = complete["usage"]?.objectValue ?? [:]
        usage["output_tokens"] = 1
        head["usage"] = .object(usage)
        send("message_start", ["message": .object(head)])
        for (position, block) in (complete["content"]?.arrayValue ?? []).enumerated() {
            let index = JSONValue.number(JSONNumber(position))
            let delta = { (fields: JSONValue) in send("content_block_delta", ["index": index, "delta": fields]) }
            switch block["type"]?.stringValue {
            case "thinking":
                send("content_block_start", ["index": index, "content_block": ["type": "thinking", "thinking": ""]])
                for piece in pieces(of: block["thinking"]?.stringValue ?? "", size: 12) {
                    delta(["type": "thinking_delta", "thinking": .string(piece)])
                }
                delta(["type": "signature_delta", "signature": block["signature"] ?? ""])
            case "tool_use":
                send("content_block_start", ["index": index, "content_block": ["type": "tool_use", "id": block["id"] ?? nil, "name": block["name"] ?? nil, "input": [:]]])
                delta(["type": "input_json_delta", "partial_json": ""])
                for piece in pieces(of: (block["input"] ?? [:]).canonicalText, size: 8) {
                    delta(["type": "input_json_delta", "partial_json": .string(piece)])
                }
            default:
                send("content_block_start", ["index": index, "content_block": ["type": "text", "text": ""]])
                for piece in pieces(of: block["text"]?.stringValue ?? "", size: 12) {
                    delta(["type": "text_delta", "text": .string(piece)])
                }
            }
            if position == 0 { send("ping", [:]) }
            send("content_block_stop", ["index": index])
        }
        send("message_delta", [
            "delta": ["stop_reason": complete["stop_reason"] ?? nil, "stop_sequence": nil],
            "usage": ["output_tokens": complete["usage"]?["output_tokens"] ?? 0],
        ])
        send("message_stop", [:])
        return events
    }
}
