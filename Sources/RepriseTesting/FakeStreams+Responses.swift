import Reprise

extension FakeStreams {
    /// The Responses API's events for the fake's answer, each named by an `event:` line and carrying its
    /// `type` and a `sequence_number` counted from 0: `response.created`, `response.in_progress`, the
    /// message item's `added`, content part, `response.output_text.delta` pieces and `done` events, then
    /// `response.completed` with the whole response (the non-streamed answer).
    static func response(for body: JSONValue, identifier: Int) -> [String] {
        let complete = FakeAnswers.response(for: body, identifier: identifier)
        var events: [String] = []
        func emit(_ type: String, _ fields: [String: JSONValue]) {
            var payload = fields
            payload["type"] = .string(type)
            payload["sequence_number"] = .number(JSONNumber(events.count))
            events.append("event: \(type)\ndata: \(JSONValue.object(payload).canonicalText)\n\n")
        }
        var started = complete.objectValue ?? [:]
        started["status"] = "in_progress"
        started["output"] = []
        started["usage"] = nil as JSONValue
        emit("response.created", ["response": .object(started)])
        emit("response.in_progress", ["response": .object(started)])
        for (position, item) in (complete["output"]?.arrayValue ?? []).enumerated() {
            let outputIndex = JSONValue.number(JSONNumber(position))
            var opened = item.objectValue ?? [:]
            opened["status"] = "in_progress"
            opened["content"] = []
            emit("response.output_item.added", ["output_index": outputIndex, "item": .object(opened)])
            for (index, part) in (item["content"]?.arrayValue ?? []).enumerated() {
                let text = part["text"]?.stringValue ?? ""
                let location: [String: JSONValue] = [
                    "item_id": item["id"] ?? nil, "output_index": outputIndex, "content_index": .number(JSONNumber(index)),
                ]
                emit("response.content_part.added", location.merging(["part": ["type": "output_text", "text": "", "annotations": []]]) { $1 })
                for piece in pieces(of: text, size: 12) {
                    emit("response.output_text.delta", location.merging(["delta": .string(piece), "logprobs": []]) { $1 })
                }
                emit("response.output_text.done", location.merging(["text": .string(text), "logprobs": []]) { $1 })
                emit("response.content_part.done", location.merging(["part": part]) { $1 })
            }
            emit("response.output_item.done", ["output_index": outputIndex, "item": item])
        }
        emit("response.completed", ["response": complete])
        return events
    }
}
