import Reprise

/// The data of every event in an event stream.
func streamPayloads(_ body: String) -> [JSONValue] {
    var parser = ServerSentEventParser()
    return parser.consume(Array(body.utf8) + Array("\n\n".utf8)).compactMap { try? JSONParser.parse($0.data) }
}

/// OpenAI's chat completions, as the `openai` SDKs send them.
public struct OpenAIConformanceDriver: ProviderConformanceDriver {
    public init() {}
    public var name: String { "openai" }
    public var pricedModel: String { "gpt-4o-mini" }

    public func request(prompt: String, model: String, credential: String, stream: Bool) -> ConformanceRequest {
        var body: [String: JSONValue] = ["model": .string(model), "messages": [["role": "user", "content": .string(prompt)]]]
        if stream { body["stream"] = true }
        return ConformanceRequest(
            target: "/v1/chat/completions",
            headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(credential)")], body: JSONValue.object(body).canonicalText)
    }

    public func text(ofAnswer body: JSONValue) -> String? {
        body["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue
    }

    public func text(ofStream body: String) -> String? {
        let payloads = streamPayloads(body)
        guard body.contains("data: [DONE]") || !payloads.isEmpty else { return nil }
        return payloads.compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue }.joined()
    }

    public func isError(_ body: JSONValue) -> Bool {
        body["error"]?["message"]?.stringValue != nil
    }
}

/// Anthropic's Messages API, as the `anthropic` SDKs send it.
public struct AnthropicConformanceDriver: ProviderConformanceDriver {
    public init() {}
    public var name: String { "anthropic" }
    public var pricedModel: String { "claude-sonnet-4-5" }

    public func request(prompt: String, model: String, credential: String, stream: Bool) -> ConformanceRequest {
        var body: [String: JSONValue] = [
            "model": .string(model), "max_tokens": 256, "messages": [["role": "user", "content": .string(prompt)]],
        ]
        if stream { body["stream"] = true }
        return ConformanceRequest(
            target: "/v1/messages",
            headers: [("Content-Type", "application/json"), ("x-api-key", credential), ("anthropic-version", "2023-06-01")],
            body: JSONValue.object(body).canonicalText)
    }

    public func text(ofAnswer body: JSONValue) -> String? {
        let texts = (body["content"]?.arrayValue ?? []).filter { $0["type"] == "text" }.compactMap { $0["text"]?.stringValue }
        return texts.isEmpty ? nil : texts.joined()
    }

    public func text(ofStream body: String) -> String? {
        let payloads = streamPayloads(body)
        guard payloads.contains(where: { $0["type"] == "message_start" }) else { return nil }
        return payloads.filter { $0["type"] == "content_block_delta" && $0["delta"]?["type"] == "text_delta" }
            .compactMap { $0["delta"]?["text"]?.stringValue }.joined()
    }

    public func isError(_ body: JSONValue) -> Bool {
        body["type"] == "error" && body["error"]?["type"]?.stringValue != nil
    }
}

/// Gemini's `generateContent` and `streamGenerateContent?alt=sse`, with the key in the `key` query parameter
/// (the form that would leak most easily into a key or a log).
public struct GeminiConformanceDriver: ProviderConformanceDriver {
    public init() {}
    public var name: String { "gemini" }
    public var pricedModel: String { "gemini-2.5-flash" }

    public func request(prompt: String, model: String, credential: String, stream: Bool) -> ConformanceRequest {
        let body: JSONValue = ["contents": [["role": "user", "parts": [["text": .string(prompt)]]]], "generationConfig": ["temperature": 0]]
        let method = stream ? "streamGenerateContent?alt=sse&key=\(credential)" : "generateContent?key=\(credential)"
        return ConformanceRequest(
            target: "/v1beta/models/\(model):\(method)", headers: [("Content-Type", "application/json")], body: body.canonicalText)
    }

    public func text(ofAnswer body: JSONValue) -> String? {
        let parts = body["candidates"]?.arrayValue?.first?["content"]?["parts"]?.arrayValue ?? []
        let texts = parts.compactMap { $0["text"]?.stringValue }
        return texts.isEmpty ? nil : texts.joined()
    }

    public func text(ofStream body: String) -> String? {
        let payloads = streamPayloads(body)
        guard !payloads.isEmpty, payloads.allSatisfy({ $0["candidates"] != nil }) else { return nil }
        return payloads.compactMap(text(ofAnswer:)).joined()
    }

    public func isError(_ body: JSONValue) -> Bool {
        body["error"]?["code"]?.intValue != nil && body["error"]?["status"]?.stringValue != nil && body["error"]?["message"]?.stringValue != nil
    }
}

/// Azure OpenAI's deployment paths, as the `openai` SDKs' `AzureOpenAI` client sends them.
public struct AzureConformanceDriver: ProviderConformanceDriver {
    public init() {}
    public var name: String { "azure" }
    public var pricedModel: String { "gpt-4o-mini" }

    public func request(prompt: String, model: String, credential: String, stream: Bool) -> ConformanceRequest {
        var body: [String: JSONValue] = ["messages": [["role": "user", "content": .string(prompt)]]]
        if stream { body["stream"] = true }
        return ConformanceRequest(
            target: "/openai/deployments/\(model)/chat/completions?api-version=2024-10-21",
            headers: [("Content-Type", "application/json"), ("api-key", credential)], body: JSONValue.object(body).canonicalText)
    }

    public func text(ofAnswer body: JSONValue) -> String? { OpenAIConformanceDriver().text(ofAnswer: body) }
    public func text(ofStream body: String) -> String? { OpenAIConformanceDriver().text(ofStream: body) }
    public func isError(_ body: JSONValue) -> Bool { OpenAIConformanceDriver().isError(body) }
}
