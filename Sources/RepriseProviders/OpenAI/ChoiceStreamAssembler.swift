import Reprise

/// Assembles OpenAI chat-completion chunks (`chat.completion.chunk`) or text-completion chunks into the
/// answer a non-streamed request gets: each choice's role, content, refusal, tool calls (argument fragments
/// joined in order), log probabilities and finish reason, and the usage chunk when one was sent.
struct ChoiceStreamAssembler: StreamAssembler {
    enum Kind: Sendable {
        case chat
        case text
    }

    struct ToolCall: Sendable {
        var id: JSONValue = nil
        var type: JSONValue = "function"
        var name = ""
        var arguments = ""
    }

    struct Choice: Sendable {
        var role = "assistant"
        var content: String?
        var refusal: String?
        var toolCalls: [Int: ToolCall] = [:]
        var logprobs: [JSONValue]?
        var finishReason: JSONValue = nil
    }

    let kind: Kind
    private var header: [String: JSONValue] = [:]
    private var choices: [Int: Choice] = [:]
    private var usage: JSONValue?
    private(set) var isComplete = false
    private var isBroken = false

    init(kind: Kind) {
        self.kind = kind
    }

    mutating func consume(_ event: ServerSentEvent) {
        guard !isComplete else { return }
        if event.data == "[DONE]" {
            isComplete = !isBroken
            return
        }
        guard let chunk = try? JSONParser.parse(event.data), let members = chunk.objectValue else {
            isBroken = true
            return
        }
        if chunk["error"] != nil { isBroken = true }
        for field in ["id", "created", "model", "system_fingerprint", "service_tier"] where header[field] == nil {
            if let value = members[field], value != .null { header[field] = value }
        }
        if let value = members["usage"], value != .null { usage = value }
        for choice in chunk["choices"]?.arrayValue ?? [] {
            consume(choice: choice)
        }
    }

    private mutating func consume(choice chunk: JSONValue) {
        let index = chunk["index"]?.intValue ?? 0
        var choice = choices[index] ?? Choice()
        if let reason = chunk["finish_reason"], reason != .null { choice.finishReason = reason }
        if let content = chunk["logprobs"]?["content"]?.arrayValue { choice.logprobs = (choice.logprobs ?? []) + content }
        switch kind {
        case .text:
            if let text = chunk["text"]?.stringValue { choice.content = (choice.content ?? "") + text }
        case .chat:
            let delta = chunk["delta"] ?? [:]
            if let role = delta["role"]?.stringValue { choice.role = role }
            if let content = delta["content"]?.stringValue { choice.content = (choice.content ?? "") + content }
            if let refusal = delta["refusal"]?.stringValue { choice.refusal = (choice.refusal ?? "") + refusal }
            for call in delta["tool_calls"]?.arrayValue ?? [] {
                let position = call["index"]?.intValue ?? 0
                var toolCall = choice.toolCalls[position] ?? ToolCall()
                if let id = call["id"], id != .null { toolCall.id = id }
                if let type = call["type"], type != .null { toolCall.type = type }
                if let name = call["function"]?["name"]?.stringValue { toolCall.name += name }
                if let arguments = call["function"]?["arguments"]?.stringValue { toolCall.arguments += arguments }
                choice.toolCalls[position] = toolCall
            }
        }
        choices[index] = choice
    }

    func assembledBody() -> JSONValue? {
        guard isComplete else { return nil }
        var body = header
        body["object"] = kind == .chat ? "chat.completion" : "text_completion"
        body["choices"] = .array(choices.keys.sorted().map { index in assembled(choices[index]!, index: index) })
        if let usage { body["usage"] = usage }
        return .object(body)
    }

    private func assembled(_ choice: Choice, index: Int) -> JSONValue {
        var result: [String: JSONValue] = [
            "index": .number(JSONNumber(index)), "finish_reason": choice.finishReason,
            "logprobs": choice.logprobs.map { ["content": .array($0)] } ?? nil,
        ]
        switch kind {
        case .text:
            result["text"] = .string(choice.content ?? "")
        case .chat:
            var message: [String: JSONValue] = [
                "role": .string(choice.role), "content": choice.content.map(JSONValue.string) ?? nil,
                "refusal": choice.refusal.map(JSONValue.string) ?? nil,
            ]
            if !choice.toolCalls.isEmpty {
                message["tool_calls"] = .array(choice.toolCalls.keys.sorted().map { position in
                    let call = choice.toolCalls[position]!
                    return ["id": call.id, "type": call.type, "function": ["name": .string(call.name), "arguments": .string(call.arguments)]]
                })
            }
            result["message"] = .object(message)
        }
        return .object(result)
    }
}
