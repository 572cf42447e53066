import HTTPTypes
import Hummingbird
import Reprise

extension FakeAnswers {
    /// Anthropic's error type for an HTTP status.
    static func anthropicErrorType(status: Int) -> String {
        switch status {
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 529: "overloaded_error"
        case 500...: "api_error"
        default: "invalid_request_error"
        }
    }

    /// An error in Anthropic's shape: `{"type": "error", "error": {"type", "message"}}`.
    static func anthropicError(status: Int, message: String) -> Response {
        let body: JSONValue = ["type": "error", "error": ["type": .string(anthropicErrorType(status: status)), "message": .string(message)]]
        return json(body, status: .init(code: status))
    }

    /// An Anthropic Messages answer: a thinking block when `thinking` is enabled; then a `tool_use` block
    /// calling the first tool when the request offers tools (unless `tool_choice` is `none` or the last
    /// turn carries a tool result), else a text block. `usage` reports the prompt-cache tokens `cache`
    /// worked out.
    static func message(for body: JSONValue, identifier: Int, cache: FakePromptCacheUsage) -> JSONValue {
        let prompt = lastUserText(body)
        var content: [JSONValue] = []
        if body["thinking"]?["type"]?.stringValue == "enabled" {
            content.append(["type": "thinking", "thinking": .string("The question is about \(prompt.prefix(40)). Answer briefly."), "signature": .string("sig_fake_\(identifier)")])
        }
        let stopReason: String
        if let tool = anthropicTool(body) {
            content.append(["type": "tool_use", "id": .string("toolu_fake_\(identifier)"), "name": .string(tool), "input": ["query": .string(prompt)]])
            stopReason = "tool_use"
        } else {
            content.append(["type": "text", "text": .string(answerText(to: prompt))])
            stopReason = "end_turn"
        }
        let output = content.map { tokens($0.canonicalText) }.reduce(0, +)
        return [
            "id": .string("msg_fake_\(identifier)"), "type": "message", "role": "assistant",
            "model": body["model"] ?? "claude-sonnet-4-5", "content": .array(content), "stop_reason": .string(stopReason),
            "stop_sequence": nil, "usage": cache.usage(outputTokens: output),
        ]
    }

    /// The first tool of an Anthropic request, unless the request declines tools or answers a tool call.
    static func anthropicTool(_ body: JSONValue) -> String? {
        guard body["tool_choice"]?["type"]?.stringValue != "none", let first = body["tools"]?.arrayValue?.first else { return nil }
        let last = body["messages"]?.arrayValue?.last?["content"]?.arrayValue ?? []
        if last.contains(where: { $0["type"]?.stringValue == "tool_result" }) { return nil }
        return first["name"]?.stringValue
    }
}

/// What the fake's prompt cache did for one Anthropic request: the prefix up to the last `cache_control`
/// breakpoint is written on first sight (5-minute or `ttl: "1h"`) and read afterwards, when it reaches
/// 1,024 tokens; tokens are counted as four bytes of the canonical JSON of each part.
struct FakePromptCacheUsage: Sendable {
    static let minimumTokens = 1024

    var inputTokens = 0
    var readTokens = 0
    var writeTokens = 0
    var oneHourWriteTokens = 0

    /// The request's breakpoints as (prefix digest, tokens up to it, one-hour?), and its total tokens.
    static func breakpoints(of body: JSONValue) -> (points: [(prefix: String, tokens: Int, oneHour: Bool)], total: Int) {
        var parts: [JSONValue] = body["tools"]?.arrayValue ?? []
        switch body["system"] {
        case .string(let text)?: parts.append(.string(text))
        case .array(let blocks)?: parts += blocks
        default: break
        }
        for message in body["messages"]?.arrayValue ?? [] {
            switch message["content"] {
            case .array(let blocks)?: parts += blocks
            case let content?: parts.append(content)
            case nil: break
            }
        }
        let keyed = CacheKeyBuilder()
        var prefix: [UInt8] = []
        var points: [(String, Int, Bool)] = []
        for part in parts {
            prefix += keyed.keyedBody(part).canonicalBytes
            if let marker = part["cache_control"] {
                points.append((String(decoding: prefix, as: UTF8.self), prefix.count / 4, marker["ttl"]?.stringValue == "1h"))
            }
        }
        return (points, prefix.count / 4)
    }

    func usage(outputTokens: Int) -> JSONValue {
        [
            "input_tokens": .number(JSONNumber(inputTokens)), "output_tokens": .number(JSONNumber(outputTokens)),
            "cache_creation_input_tokens": .number(JSONNumber(writeTokens)),
            "cache_read_input_tokens": .number(JSONNumber(readTokens)),
            "cache_creation": [
                "ephemeral_5m_input_tokens": .number(JSONNumber(writeTokens - oneHourWriteTokens)),
                "ephemeral_1h_input_tokens": .number(JSONNumber(oneHourWriteTokens)),
            ],
        ]
    }
}
