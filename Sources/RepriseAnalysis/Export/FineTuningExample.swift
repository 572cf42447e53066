import Reprise

/// One training example in OpenAI's fine-tuning chat format, which Hugging Face TRL's SFT trainer also
/// reads: `{"messages": [...], "tools": [...]}`, the last message the logged answer.
public struct FineTuningExample: Sendable, Hashable {
    /// The prompt's messages, system first, then the answer as an `assistant` message.
    public var messages: [JSONValue]
    /// The tools the request offered, when it offered any.
    public var tools: [JSONValue]?

    /// Why a logged call does not make an example.
    public enum Rejection: String, Error, Sendable, Hashable, CaseIterable {
        case noAnswer = "no answer body"
        case noPrompt = "no prompt messages"
        case truncated = "answer cut off at the token limit"
        case unsupportedRoute = "not a chat, completion or Responses call"
    }

    public init(messages: [JSONValue], tools: [JSONValue]? = nil) {
        self.messages = messages
        self.tools = tools
    }

    /// The example a logged call makes: its request turned into messages and its answer appended.
    public static func make(from record: UsageRecord) -> Result<FineTuningExample, Rejection> {
        if record.route.hasSuffix("/embeddings") { return .failure(.unsupportedRoute) }
        guard let response = record.response else { return .failure(.noAnswer) }
        let prompt = record.request.map(promptMessages(of:)) ?? record.promptText.map { [["role": "user", "content": .string($0)]] } ?? []
        guard !prompt.isEmpty else { return .failure(.noPrompt) }
        switch answerMessage(of: response) {
        case .success(let answer):
            let tools = record.request?["tools"]?.arrayValue.flatMap { $0.isEmpty ? nil : $0 }
            return .success(FineTuningExample(messages: prompt + [answer], tools: tools))
        case .failure(let rejection):
            return .failure(rejection)
        }
    }

    /// The example as one JSONL line (canonical JSON, no line break).
    public var jsonLine: String {
        var object: [String: JSONValue] = ["messages": .array(messages)]
        if let tools { object["tools"] = .array(tools) }
        return JSONValue.object(object).canonicalText
    }

    /// The prompt part (everything but the answer), canonical: examples with the same prompt are
    /// duplicates whatever their answers.
    var promptBytes: [UInt8] {
        var object: [String: JSONValue] = ["messages": .array(Array(messages.dropLast()))]
        if let tools { object["tools"] = .array(tools) }
        return JSONValue.object(object).canonicalBytes
    }

    /// The request as chat messages: `messages` as they are (keeping the fields fine-tuning reads), a
    /// completion `prompt` as a user message, a Responses `input` with its `instructions`, or an Anthropic
    /// `system` with its `messages`.
    static func promptMessages(of body: JSONValue) -> [JSONValue] {
        var messages: [JSONValue] = []
        if let instructions = body["instructions"]?.stringValue { messages.append(["role": "system", "content": .string(instructions)]) }
        if let system = body["system"] {
            let text = PromptText.texts(in: system).joined(separator: "\n")
            if !text.isEmpty { messages.append(["role": "system", "content": .string(text)]) }
        }
        for message in body["messages"]?.arrayValue ?? [] {
            guard let members = message.objectValue, members["role"]?.stringValue != nil else { continue }
            messages.append(.object(members.filter { ["role", "content", "name", "tool_calls", "tool_call_id", "weight"].contains($0.key) }))
        }
        switch body["prompt"] ?? body["input"] {
        case .string(let text)?:
            messages.append(["role": "user", "content": .string(text)])
        case .array(let items)?:
            for item in items {
                if let text = item.stringValue {
                    messages.append(["role": "user", "content": .string(text)])
                } else if let role = item["role"]?.stringValue, let content = item["content"] {
                    let text = PromptText.texts(in: content).joined(separator: "\n")
                    messages.append(["role": .string(role == "developer" ? "system" : role), "content": .string(text)])
                }
            }
        default:
            break
        }
        return messages
    }

    /// The answer as an `assistant` message, from a chat completion, a text completion, a Responses API
    /// answer, an Anthropic message, or a plain text.
    static func answerMessage(of response: JSONValue) -> Result<JSONValue, Rejection> {
        if let text = response.stringValue { return text.isEmpty ? .failure(.noAnswer) : .success(["role": "assistant", "content": .string(text)]) }
        if let choice = response["choices"]?.arrayValue?.first {
            if choice["finish_reason"]?.stringValue == "length" { return .failure(.truncated) }
            if let message = choice["message"]?.objectValue {
                var answer = message.filter { ["content", "tool_calls"].contains($0.key) && $0.value != .null }
                answer["role"] = "assistant"
                return answer.count > 1 ? .success(.object(answer)) : .failure(.noAnswer)
            }
            if let text = choice["text"]?.stringValue { return .success(["role": "assistant", "content": .string(text)]) }
            return .failure(.noAnswer)
        }
        if response["status"]?.stringValue == "incomplete" || response["stop_reason"]?.stringValue == "max_tokens" { return .failure(.truncated) }
        if let output = response["output"]?.arrayValue {
            let text = output.filter { $0["type"]?.stringValue == "message" }.flatMap { PromptText.texts(in: $0["content"] ?? .null) }.joined()
            return text.isEmpty ? .failure(.noAnswer) : .success(["role": "assistant", "content": .string(text)])
        }
        if let blocks = response["content"]?.arrayValue {
            let text = blocks.filter { $0["type"]?.stringValue == "text" }.compactMap { $0["text"]?.stringValue }.joined()
            return text.isEmpty ? .failure(.noAnswer) : .success(["role": "assistant", "content": .string(text)])
        }
        return .failure(.noAnswer)
    }
}
