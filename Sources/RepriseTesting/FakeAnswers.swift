import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Reprise

/// The fake upstream's non-streamed answers, in OpenAI's shapes.
enum FakeAnswers {
    /// A fixed creation time, so answers differ only by their ids.
    static let created = 1_764_201_600

    /// A rough token count: about four bytes of English per token.
    static func tokens(_ text: String) -> Int { max(1, (text.utf8.count + 3) / 4) }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", HTTPField.Name("x-request-id")!: UUID().uuidString],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: value.canonicalBytes)))
    }

    static func error(status: Int, message: String) -> Response {
        let type = status >= 500 ? "server_error" : "invalid_request_error"
        let body: JSONValue = ["error": ["message": .string(message), "type": .string(type), "param": nil, "code": .string("fake_\(status)")]]
        return json(body, status: .init(code: status))
    }

    /// The text of the prompt's last user turn.
    static func lastUserText(_ body: JSONValue) -> String {
        let messages = body["messages"]?.arrayValue ?? []
        let user = messages.last { $0["role"]?.stringValue == "user" } ?? messages.last
        return PromptText(body: ["messages": .array(user.map { [$0] } ?? [])]).all
    }

    /// A deterministic answer to `prompt`, a few sentences long like a real one.
    static func answerText(to prompt: String) -> String {
        let topic = prompt.split(separator: " ").prefix(12).joined(separator: " ")
        return "Here is a short answer about \"\(topic)\". The key points are summarised in three sentences, "
            + "each grounded in the question as asked. Let me know if you want more detail."
    }

    static func usage(prompt: Int, completion: Int, cached: Int = 0) -> JSONValue {
        [
            "prompt_tokens": .number(JSONNumber(prompt)), "completion_tokens": .number(JSONNumber(completion)),
            "total_tokens": .number(JSONNumber(prompt + completion)), "prompt_tokens_details": ["cached_tokens": .number(JSONNumber(cached))],
            "completion_tokens_details": ["reasoning_tokens": 0],
        ]
    }

    /// The first tool a request offers, unless `tool_choice` is `none`.
    static func requestedTool(_ body: JSONValue) -> String? {
        guard body["tool_choice"]?.stringValue != "none", let tools = body["tools"]?.arrayValue, let first = tools.first else { return nil }
        return first["function"]?["name"]?.stringValue
    }

    static func toolArguments(for prompt: String) -> String {
        JSONValue.object(["query": .string(prompt)]).canonicalText
    }

    /// - Parameter cachedTokens: the prompt tokens to report as read from the provider's prompt cache.
    static func chatCompletion(for body: JSONValue, identifier: Int, cachedTokens: Int = 0) -> JSONValue {
        let prompt = lastUserText(body)
        let model = body["model"]?.stringValue ?? "gpt-4o-mini"
        let promptTokens = tokens(PromptText(body: body).all)
        let count = max(1, min(body["n"]?.intValue ?? 1, 8))
        var choices: [JSONValue] = []
        var completionTokens = 0
        for index in 0..<count {
            let message: JSONValue
            let finish: String
            if let tool = requestedTool(body) {
                let arguments = toolArguments(for: prompt)
                completionTokens += tokens(arguments)
                message = [
                    "role": "assistant", "content": nil, "refusal": nil,
                    "tool_calls": [["id": .string("call_\(identifier)_\(index)"), "type": "function", "function": ["name": .string(tool), "arguments": .string(arguments)]]],
                ]
                finish = "tool_calls"
            } else {
                let text = answerText(to: prompt)
                completionTokens += tokens(text)
                message = ["role": "assistant", "content": .string(text), "refusal": nil]
                finish = "stop"
            }
            choices.append(["index": .number(JSONNumber(index)), "message": message, "logprobs": nil, "finish_reason": .string(finish)])
        }
        return [
            "id": .string("chatcmpl-fake-\(identifier)"), "object": "chat.completion", "created": .number(JSONNumber(created)),
            "model": .string(model), "choices": .array(choices), "usage": usage(prompt: promptTokens, completion: completionTokens, cached: min(cachedTokens, promptTokens)),
            "system_fingerprint": "fp_fake",
        ]
    }

    static func textCompletion(for body: JSONValue, identifier: Int) -> JSONValue {
        let prompt = PromptText(body: body).all
        let text = answerText(to: prompt)
        return [
            "id": .string("cmpl-fake-\(identifier)"), "object": "text_completion", "created": .number(JSONNumber(created)),
            "model": body["model"] ?? "gpt-3.5-turbo-instruct",
            "choices": [["text": .string(text), "index": 0, "logprobs": nil, "finish_reason": "stop"]],
            "usage": usage(prompt: tokens(prompt), completion: tokens(text)),
        ]
    }

    static func embeddings(for body: JSONValue) -> JSONValue {
        let inputs: [String]
        switch body["input"] {
        case .string(let text): inputs = [text]
        case .array(let items): inputs = items.map { $0.stringValue ?? $0.canonicalText }
        default: inputs = []
        }
        let dimensions = max(1, min(body["dimensions"]?.intValue ?? 8, 4096))
        let base64 = body["encoding_format"]?.stringValue == "base64"
        let data: [JSONValue] = inputs.enumerated().map { index, text in
            let vector = embedding(of: text, dimensions: dimensions)
            let encoded: JSONValue = base64
                ? .string(Data(vector.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }).base64EncodedString())
                : .array(vector.map { .number(JSONNumber(Double($0))) })
            return ["object": "embedding", "index": .number(JSONNumber(index)), "embedding": encoded]
        }
        let promptTokens = inputs.map(tokens).reduce(0, +)
        return [
            "object": "list", "data": .array(data), "model": body["model"] ?? "text-embedding-3-small",
            "usage": ["prompt_tokens": .number(JSONNumber(promptTokens)), "total_tokens": .number(JSONNumber(promptTokens))],
        ]
    }

    /// A deterministic unit vector derived from the text's bytes.
    static func embedding(of text: String, dimensions: Int) -> [Float] {
        var values = [Float](repeating: 0, count: dimensions)
        for (position, byte) in text.utf8.enumerated() {
            values[(position &* 31 &+ Int(byte)) % dimensions] += Float(byte) / 255
        }
        let norm = values.map { $0 * $0 }.reduce(0, +).squareRoot()
        return norm == 0 ? values.map { _ in 1 / Float(dimensions).squareRoot() } : values.map { $0 / norm }
    }

    static func response(for body: JSONValue, identifier: Int) -> JSONValue {
        let prompt = PromptText(body: body).user
        let text = answerText(to: prompt)
        let input = tokens(PromptText(body: body).all)
        let output = tokens(text)
        return [
            "id": .string("resp_fake_\(identifier)"), "object": "response", "created_at": .number(JSONNumber(created)),
            "status": "completed", "model": body["model"] ?? "gpt-4o-mini",
            "output": [[
                "type": "message", "id": .string("msg_fake_\(identifier)"), "status": "completed", "role": "assistant",
                "content": [["type": "output_text", "text": .string(text), "annotations": []]],
            ]],
            "usage": [
                "input_tokens": .number(JSONNumber(input)), "output_tokens": .number(JSONNumber(output)),
                "total_tokens": .number(JSONNumber(input + output)), "input_tokens_details": ["cached_tokens": 0],
                "output_tokens_details": ["reasoning_tokens": 0],
            ],
        ]
    }

    static func models() -> JSONValue {
        let names = ["gpt-4o-mini", "gpt-4o", "text-embedding-3-small"]
        return [
            "object": "list",
            "data": .array(names.map { ["id": .string($0), "object": "model", "created": .number(JSONNumber(created)), "owned_by": "fake"] }),
        ]
    }
}
