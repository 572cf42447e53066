import Reprise

/// Anthropic's Messages API: `POST /v1/messages` is cached; Anthropic's other paths (`/v1/messages/…`,
/// `/v1/complete`) and any request carrying `anthropic-version` — which every Anthropic SDK sends — pass
/// through to the Anthropic upstream.
public struct AnthropicProvider: Provider {
    public init() {}

    public var name: String { "anthropic" }

    public var defaultUpstreamURL: String? { "https://api.anthropic.com" }

    static let messages = ProviderOperation(kind: "messages", route: "/v1/messages")

    public var routes: [String] { [Self.messages.route] }

    public func operation(for request: ProviderRequestHead) -> ProviderOperation? {
        request.method == "POST" && request.path == "/v1/messages" ? Self.messages : nil
    }

    public func passThroughClaim(for request: ProviderRequestHead) -> PassThroughClaim? {
        let path = request.path
        if path.hasPrefix("/v1/"), request.header("anthropic-version") != nil { return .header }
        if path == "/v1/messages" || path.hasPrefix("/v1/messages/") || path == "/v1/complete" { return .ownPath }
        return nil
    }

    public func credential(in request: ProviderRequestHead) -> String? {
        ClientCredentials.bearerOrKey(in: request)
    }

    public var credentialHeaders: [String] { ClientCredentials.headers }

    public var upstreamCredential: UpstreamCredentialPlacement { .header(name: "x-api-key", prefix: "") }

    /// `anthropic-beta`, since a beta feature can change the answer; normalised so order and repeats do not
    /// split the cache.
    public func keyedHeaders(_ request: ProviderRequestHead) -> [String: String] {
        guard let beta = request.header("anthropic-beta"), let value = CacheKeyBuilder.keyedHeaderValue(beta) else { return [:] }
        return ["anthropic-beta": value]
    }

    public func validate(_ body: JSONValue, for operation: ProviderOperation) throws(ProviderBodyError) {
        try RequestFields.requireMessages(body)
        try RequestFields.optional(body, "system", is: .stringOrArray)
        try RequestFields.optional(body, "stream", is: .booleanOrNull)
        try RequestFields.optional(body, "tools", is: .arrayOrNull)
    }

    /// A code-execution `container` keeps the files earlier requests wrote.
    public func providerStateReason(_ body: JSONValue, for operation: ProviderOperation) -> String? {
        if let container = body["container"], container != .null { return "provider-container" }
        return nil
    }

    public func usage(of answer: JSONValue) -> TokenUsage? {
        TokenUsage(anthropicResponse: answer)
    }

    /// Anthropic's `{"type": "error", "error": {"type", "message"}}`, with the types its API documents per
    /// status.
    public func errorBody(_ error: ProviderError) -> JSONValue {
        let type: String
        switch error.category {
        case .authentication: type = "authentication_error"
        case .notFound: type = "not_found_error"
        case .tooLarge: type = "request_too_large"
        case .timeout: type = "timeout_error"
        case .upstream: type = "api_error"
        case .invalidRequest: type = "invalid_request_error"
        }
        return ["type": "error", "error": ["type": .string(type), "message": .string(error.message)]]
    }

    public func makeAssembler(for operation: ProviderOperation) -> (any StreamAssembler)? {
        MessageStreamAssembler()
    }

    public func replay(_ answer: JSONValue, for operation: ProviderOperation, request: JSONValue) -> [ServerSentEvent]? {
        MessageStreamReplay(message: answer).events()
    }

    public func lastUserTurn(in body: JSONValue, replacingWith placeholder: JSONValue) -> (text: String, body: JSONValue)? {
        ChatTurns.lastUserTurn(in: body, replacingWith: placeholder)
    }

    public var acceptsPromptCacheBreakpoints: Bool { true }
}
