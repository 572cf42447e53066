/// A cached operation of one provider, as recognised from a request's method, path and query.
public struct ProviderOperation: Sendable, Hashable {
    /// Which operation within the provider, such as `chat`, `messages` or `generateContent`; the provider
    /// chooses its stream format, validation and replay by it.
    public var kind: String
    /// The route pattern, a bounded label for metrics, logs and policy rules: `/v1/chat/completions`,
    /// `/v1beta/models/{model}:generateContent`.
    public var route: String
    /// The path as it enters the cache key: the request's path with what does not change the answer
    /// normalised (Gemini's `streamGenerateContent` keyed as `generateContent`, so streamed and whole
    /// requests share an entry). For OpenAI and Anthropic it is the route itself.
    public var keyedPath: String
    /// The model the path names (a Gemini model, an Azure deployment), for requests whose body names none.
    public var pathModel: String?
    /// Whether the path asks for a stream (Gemini's `streamGenerateContent`), whatever the body says.
    public var streamsByPath: Bool
    /// Query parameters that never enter the key: credentials (Gemini's `key`) and parameters that only
    /// choose the answer's framing (Gemini's `alt`).
    public var unkeyedQueryParameters: Set<String>
    /// Whether a semantically similar request may be answered from this operation's entries.
    public var matchesSemantically: Bool

    public init(
        kind: String, route: String, keyedPath: String? = nil, pathModel: String? = nil, streamsByPath: Bool = false,
        unkeyedQueryParameters: Set<String> = [], matchesSemantically: Bool = true
    ) {
        self.kind = kind
        self.route = route
        self.keyedPath = keyedPath ?? route
        self.pathModel = pathModel
        self.streamsByPath = streamsByPath
        self.unkeyedQueryParameters = unkeyedQueryParameters
        self.matchesSemantically = matchesSemantically
    }

    /// The route as it enters the cache key: ``keyedPath``, then `?` and the query's parameters sorted, less
    /// ``unkeyedQueryParameters``; just ``keyedPath`` when no parameter is left, so a request without a query
    /// keeps the key it always had.
    public func keyedRoute(query: String?) -> String {
        guard let query else { return keyedPath }
        let parameters = query.split(separator: "&").filter { parameter in
            guard !parameter.isEmpty else { return false }
            let name = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            return !unkeyedQueryParameters.contains(name)
        }
        guard !parameters.isEmpty else { return keyedPath }
        return keyedPath + "?" + parameters.sorted().joined(separator: "&")
    }
}
