import Reprise

/// Assembles an Anthropic Messages stream into the message a non-streamed request gets.
///
/// `message_start` gives the message with empty content and the input side of `usage`;
/// `content_block_start` opens each block, `content_block_delta` grows it (`text_delta`,
/// `input_json_delta` fragments parsed into `input` at `content_block_stop`, `thinking_delta`,
/// `signature_delta`, `citations_delta`); `message_delta` sets `stop_reason`, `stop_sequence` and the
/// final `usage` counts; `message_stop` completes it. An `error` event, or a tool input that is not JSON,
/// leaves it incomplete; `ping` changes nothing.
struct MessageStreamAssembler: StreamAssembler {
    private var message: [String: JSONValue]?
    private var blocks: [Int: [String: JSONValue]] = [:]
    private var partialInputs: [Int: String] = [:]
    private(set) var isComplete = false
    private var isBroken = false

    mutating func consume(_ event: ServerSentEvent) {
        guard !isComplete, !isBroken else { return }
        guard let body = try? JSONParser.parse(event.data), let type = body["type"]?.stringValue ?? event.name else {
            isBroken = true
            return
        }
        switch type {
        case "message_start": message = body["message"]?.objectValue
        case "content_block_start":
            guard let index = body["index"]?.intValue, let block = body["content_block"]?.objectValue else { return broken() }
            blocks[index] = block
        case "content_block_delta":
            guard let index = body["index"]?.intValue, blocks[index] != nil, let delta = body["delta"] else { return broken() }
            apply(delta, to: index)
        case "content_block_stop":
            guard let index = body["index"]?.intValue else { return broken() }
            finishInput(of: index)
        case "message_delta": applyMessageDelta(body)
        case "message_stop": isComplete = message != nil
        case "error": broken()
        default: break  // ping, and event types added later
        }
    }

    private mutating func broken() {
        isBroken = true
    }

    private mutating func apply(_ delta: JSONValue, to index: Int) {
        guard var block = blocks[index] else { return }
        func append(_ field: String, _ piece: JSONValue?) {
            block[field] = .string((block[field]?.stringValue ?? "") + (piece?.stringValue ?? ""))
        }
        switch delta["type"]?.stringValue {
        case "text_delta": append("text", delta["text"])
        case "thinking_delta": append("thinking", delta["thinking"])
        case "signature_delta": append("signature", delta["signature"])
        case "input_json_delta": partialInputs[index, default: ""] += delta["partial_json"]?.stringValue ?? ""
        case "citations_delta":
            if let citation = delta["citation"] { block["citations"] = .array((block["citations"]?.arrayValue ?? []) + [citation]) }
        default: break
        }
        blocks[index] = block
    }

    /// A tool block's input arrives as JSON text in fragments; an empty text is an empty input.
    private mutating func finishInput(of index: Int) {
        guard let text = partialInputs.removeValue(forKey: index) else { return }
        if text.isEmpty {
            blocks[index]?["input"] = [:]
        } else if let input = try? JSONParser.parse(text) {
            blocks[index]?["input"] = input
        } else {
            broken()
        }
    }

    private mutating func applyMessageDelta(_ body: JSONValue) {
        for (field, value) in body["delta"]?.objectValue ?? [:] { message?[field] = value }
        guard let counts = body["usage"]?.objectValue else { return }
        var usage = message?["usage"]?.objectValue ?? [:]
        for (field, value) in counts where value != .null { usage[field] = value }
        message?["usage"] = .object(usage)
    }

    func assembledBody() -> JSONValue? {
        guard isComplete, !isBroken, var body = message else { return nil }
        body["content"] = .array(blocks.keys.sorted().map { .object(blocks[$0]!) })
        return .object(body)
    }
}
