import Reprise

/// The Responses API's event sequence for a finished response: `response.created`, then for each output
/// item its `added`, content or argument deltas and `done` events, then `response.completed` carrying the
/// whole response, each with a `sequence_number`.
struct ResponsesReplay {
    let response: JSONValue
    private var sequence = 0
    private var emitted: [ServerSentEvent] = []

    init(response: JSONValue) {
        self.response = response
    }

    func events() -> [ServerSentEvent] {
        var replay = self
        replay.build()
        return replay.emitted
    }

    private mutating func emit(_ type: String, _ fields: [String: JSONValue]) {
        var body = fields
        body["type"] = .string(type)
        body["sequence_number"] = .number(JSONNumber(sequence))
        sequence += 1
        emitted.append(ServerSentEvent(name: type, data: JSONValue.object(body).canonicalText))
    }

    private mutating func build() {
        var inProgress = response.objectValue ?? [:]
        inProgress["status"] = "in_progress"
        inProgress["output"] = []
        inProgress["usage"] = nil as JSONValue
        emit("response.created", ["response": .object(inProgress)])
        emit("response.in_progress", ["response": .object(inProgress)])
        for (position, item) in (response["output"]?.arrayValue ?? []).enumerated() {
            replay(item: item, outputIndex: .number(JSONNumber(position)))
        }
        emit("response.completed", ["response": response])
    }

    private mutating func replay(item: JSONValue, outputIndex: JSONValue) {
        guard case .object(var started) = item else { return }
        let itemID = item["id"] ?? nil
        started["status"] = "in_progress"
        switch item["type"]?.stringValue {
        case "message":
            started["content"] = []
            emit("response.output_item.added", ["output_index": outputIndex, "item": .object(started)])
            for (position, part) in (item["content"]?.arrayValue ?? []).enumerated() {
                let contentIndex = JSONValue.number(JSONNumber(position))
                let location: [String: JSONValue] = ["item_id": itemID, "output_index": outputIndex, "content_index": contentIndex]
                var empty = part.objectValue ?? [:]
                if empty["text"] != nil { empty["text"] = "" }
                emit("response.content_part.added", location.merging(["part": .object(empty)]) { $1 })
                if part["type"]?.stringValue == "output_text", let text = part["text"]?.stringValue {
                    for piece in ReplayText.pieces(of: text) {
                        emit("response.output_text.delta", location.merging(["delta": .string(piece), "logprobs": []]) { $1 })
                    }
                    emit("response.output_text.done", location.merging(["text": .string(text), "logprobs": []]) { $1 })
                }
                emit("response.content_part.done", location.merging(["part": part]) { $1 })
            }
        case "function_call":
            started["arguments"] = ""
            emit("response.output_item.added", ["output_index": outputIndex, "item": .object(started)])
            let arguments = item["arguments"]?.stringValue ?? ""
            for piece in ReplayText.pieces(of: arguments) {
                emit("response.function_call_arguments.delta", ["item_id": itemID, "output_index": outputIndex, "delta": .string(piece)])
            }
            emit("response.function_call_arguments.done", ["item_id": itemID, "output_index": outputIndex, "arguments": .string(arguments)])
        default:
            emit("response.output_item.added", ["output_index": outputIndex, "item": item])
        }
        emit("response.output_item.done", ["output_index": outputIndex, "item": item])
    }
}
