import Reprise

/// OpenAI-compatible APIs (OpenAI, and servers that copy its shape: vLLM, Ollama, llama.cpp, LiteLLM):
/// chat and text completions, embeddings and the Responses API are cached; every other path under `/v1/`
/// passes through.
public struct OpenAIProvider: Provider {
    public init() {}

    public var name: String { "openai" }

    public var defaultUpstreamURL: String? { "https://api.openai.com" }

    /// The cached operations by path.
    static let operations: [String: ProviderOperation] = [
        "/v1/chat/completions": ProviderOperation(kind: "chat", route: "/v1/chat/completions"),
        "/v1/completions": ProviderOperation(kind: "completions", route: "/v1/completions"),
        "/v1/embeddings": ProviderOperation(kind: "embeddings", route: "/v1/embeddings", matchesSemantically: false),
        "/v1/responses": ProviderOperation(kind: "responses", route: "/v1/responses"),
    ]

    public var routes: [String] { Self.operations.keys.sorted() }

    public func operation(for request: ProviderRequestHead) -> ProviderOperation? {
        guard request.method == "POST" else { return nil }
        return Self.operations[request.path]
    }

    public func passThroughClaim(for request: ProviderRequestHead) -> PassThroughClaim? {
        request.path.hasPrefix("/v1/") ? .path : nil
    }

    public func credential(in request: ProviderRequestHead) -> String? {
        ClientCredentials.bearerOrKey(in: request)
    }

    public var credentialHeaders: [String] { ClientCredentials.headers }

    public var upstreamCredential: UpstreamCredentialPlacement { .header(name: "Authorization", prefix: "Bearer ") }

    public func validate(_ body: JSONValue, for operation: ProviderOperation) throws(ProviderBodyError) {
        try OpenAIRequestShape.check(body, kind: operation.kind)
    }

    public func providerStateReason(_ body: JSONValue, for operation: ProviderOperation) -> String? {
        guard operation.kind == "responses" else { return nil }
        // A conversation gains items every turn; a stored prompt named without a version follows its latest
        // version. (A `previous_response_id` names an immutable response: cacheable, keyed with the body.)
        if let conversation = body["conversation"], conversation != .null { return "provider-conversation" }
        if let prompt = body["prompt"], prompt.objectValue != nil, prompt["version"].map({ $0 == .null }) ?? true {
            return "provider-prompt-latest-version"
        }
        return nil
    }

    public func usage(of answer: JSONValue) -> TokenUsage? {
        TokenUsage(openAIResponse: answer)
    }

    public func errorBody(_ error: ProviderError) -> JSONValue {
        let type: String
        switch error.category {
        case .authentication: type = "authentication_error"
        case .upstream, .timeout: type = "upstream_error"
        case .notFound: type = "not_found_error"
        case .invalidRequest, .tooLarge: type = "invalid_request_error"
        }
        return [
            "error": [
                "message": .string(error.message), "type": .string(type), "code": .string(error.code),
                "param": error.parameter.map(JSONValue.string) ?? .null,
            ],
        ]
    }

    public func makeAssembler(for operation: ProviderOperation) -> (any StreamAssembler)? {
        switch operation.kind {
        case "chat": ChoiceStreamAssembler(kind: .chat)
        case "completions": ChoiceStreamAssembler(kind: .text)
        case "responses": ResponsesStreamAssembler()
        default: nil
        }
    }

    public func replay(_ answer: JSONValue, for operation: ProviderOperation, request: JSONValue) -> [ServerSentEvent]? {
        let includeUsage = request["stream_options"]?["include_usage"]?.boolValue == true
        switch operation.kind {
        case "chat": return ChoiceStreamReplay(kind: .chat, includeUsage: includeUsage).events(for: answer)
        case "completions": return ChoiceStreamReplay(kind: .text, includeUsage: includeUsage).events(for: answer)
        case "responses": return ResponsesReplay(response: answer).events()
        default: return nil
        }
    }

    public func bodyForRecording(_ body: JSONValue, for operation: ProviderOperation) -> JSONValue? {
        guard hidesUsageChunk(from: body, for: operation), case .object(var members) = body else { return nil }
        var options = members["stream_options"]?.objectValue ?? [:]
        options["include_usage"] = true
        members["stream_options"] = .object(options)
        return .object(members)
    }

    public func hidesUsageChunk(from body: JSONValue, for operation: ProviderOperation) -> Bool {
        (operation.kind == "chat" || operation.kind == "completions") && body["stream_options"]?["include_usage"]?.boolValue != true
    }

    public func lastUserTurn(in body: JSONValue, replacingWith placeholder: JSONValue) -> (text: String, body: JSONValue)? {
        ChatTurns.lastUserTurn(in: body, replacingWith: placeholder)
    }
}
