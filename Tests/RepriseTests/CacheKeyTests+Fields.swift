import Reprise
import Testing

/// One change to ``ChatRequestSample`` that can change the answer, so it must change the key.
struct FieldChange: Sendable, CustomTestStringConvertible {
    let name: String
    let body: JSONValue
    var testDescription: String { name }

    init(_ name: String, _ change: (JSONValue) -> JSONValue) {
        self.name = name
        self.body = change(ChatRequestSample.body)
    }

    init(_ name: String, setting value: JSONValue, at path: JSONPathStep...) {
        self.init(name) { $0.setting(value, at: path) }
    }

    static let all: [FieldChange] = [
        FieldChange("model", setting: "gpt-4o-mini", at: "model"),
        FieldChange("system message role", setting: "developer", at: "messages", 0, "role"),
        FieldChange("system message content", setting: "You are a verbose travel assistant.", at: "messages", 0, "content"),
        FieldChange("user message role", setting: "assistant", at: "messages", 1, "role"),
        FieldChange("user message name", setting: "bob", at: "messages", 1, "name"),
        FieldChange("user message without name") { $0.removing(at: "messages", 1, "name") },
        FieldChange("text part text", setting: "Where was this picture taken?", at: "messages", 1, "content", 0, "text"),
        FieldChange("text part type", setting: "input_text", at: "messages", 1, "content", 0, "type"),
        FieldChange("image_url part url", setting: "https://example.com/other.jpg", at: "messages", 1, "content", 1, "image_url", "url"),
        FieldChange("image_url part detail", setting: "high", at: "messages", 1, "content", 1, "image_url", "detail"),
        FieldChange("image_url part removed") { $0.removing(at: "messages", 1, "content", 1) },
        FieldChange("content parts reordered") { body in
            let parts = body["messages"]!.arrayValue![1]["content"]!.arrayValue!
            return body.setting(.array(parts.reversed()), at: "messages", 1, "content")
        },
        FieldChange("assistant content", setting: "", at: "messages", 2, "content"),
        FieldChange("tool call arguments", setting: #"{"query":"bridge"}"#, at: "messages", 2, "tool_calls", 0, "function", "arguments"),
        FieldChange("tool call function name", setting: "lookup_city", at: "messages", 2, "tool_calls", 0, "function", "name"),
        FieldChange("tool call id", setting: "call_xyz", at: "messages", 2, "tool_calls", 0, "id"),
        FieldChange("tool message tool_call_id", setting: "call_def", at: "messages", 3, "tool_call_id"),
        FieldChange("tool message content", setting: "Big Ben, London", at: "messages", 3, "content"),
        FieldChange("content in another Unicode normalization", setting: "Eiffel Tower, Paris — Cafe\u{0301}", at: "messages", 3, "content"),
        FieldChange("messages reordered") { body in
            let messages = body["messages"]!.arrayValue!
            return body.setting(.array([messages[1], messages[0]] + messages[2...]), at: "messages")
        },
        FieldChange("message added", setting: ["role": "user", "content": "Thanks!"], at: "messages", 4),
        FieldChange("message removed") { $0.removing(at: "messages", 3) },
        FieldChange("message with a nested metadata member", setting: ["source": "app"], at: "messages", 1, "metadata"),
        FieldChange("temperature", setting: 0.8, at: "temperature"),
        FieldChange("temperature absent") { $0.removing(at: "temperature") },
        FieldChange("top_p", setting: 1, at: "top_p"),
        FieldChange("max_tokens", setting: 257, at: "max_tokens"),
        FieldChange("max_completion_tokens", setting: 256, at: "max_completion_tokens"),
        FieldChange("stop", setting: ["END"], at: "stop"),
        FieldChange("stop as a string", setting: "END", at: "stop"),
        FieldChange("seed", setting: 43, at: "seed"),
        FieldChange("n", setting: 2, at: "n"),
        FieldChange("tools description", setting: "Find a landmark", at: "tools", 0, "function", "description"),
        FieldChange("tools parameters", setting: [], at: "tools", 0, "function", "parameters", "required"),
        FieldChange("tools parameter named user", setting: ["type": "string"], at: "tools", 0, "function", "parameters", "properties", "user"),
        FieldChange("tools removed") { $0.removing(at: "tools") },
        FieldChange("tool_choice", setting: "required", at: "tool_choice"),
        FieldChange("tool_choice naming a function", setting: ["type": "function", "function": ["name": "lookup_landmark"]], at: "tool_choice"),
        FieldChange("parallel_tool_calls", setting: false, at: "parallel_tool_calls"),
        FieldChange("response_format", setting: ["type": "json_object"], at: "response_format"),
        FieldChange("response_format strict member", setting: true, at: "response_format", "strict"),
        FieldChange("logit_bias value", setting: -50, at: "logit_bias", "50256"),
        FieldChange("logit_bias token", setting: ["50257": -100], at: "logit_bias"),
        FieldChange("logprobs", setting: false, at: "logprobs"),
        FieldChange("top_logprobs", setting: 5, at: "top_logprobs"),
        FieldChange("frequency_penalty", setting: 0.6, at: "frequency_penalty"),
        FieldChange("presence_penalty", setting: 0.1, at: "presence_penalty"),
        FieldChange("reasoning_effort", setting: "high", at: "reasoning_effort"),
        FieldChange("modalities", setting: ["text", "audio"], at: "modalities"),
        FieldChange("unknown field", setting: true, at: "x_experimental_flag"),
        FieldChange("unknown field set to null", setting: .null, at: "x_experimental_flag"),
    ]
}

extension CacheKeyTests {
    @Test(arguments: FieldChange.all)
    func fieldThatCanChangeTheAnswerChangesTheKey(_ change: FieldChange) {
        // Guard the test itself: the change must alter the request's bytes.
        #expect(change.body.canonicalBytes != ChatRequestSample.body.canonicalBytes)
        #expect(key(change.body) != key(ChatRequestSample.body))
    }

    @Test func everyFieldChangeGivesADistinctKey() {
        let keys = Set(FieldChange.all.map { key($0.body) } + [key(ChatRequestSample.body)])
        #expect(keys.count == FieldChange.all.count + 1)
    }
}
