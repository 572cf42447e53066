/// One API shape the gateway speaks — OpenAI-compatible, Anthropic, Gemini, Azure OpenAI: which requests it
/// caches and how it recognises them, where the client's credential is, what enters the key, how usage and
/// cost are read, what its errors look like, and how its streams are recorded and replayed.
///
/// The gateway knows providers only through this protocol; each lives in its own folder of
/// `RepriseProviders` and is registered in `ProviderRegistry`.
///
/// ## Implementation requirements
/// - ``operation(for:)`` recognises only requests whose answers may be cached; every other request of the
///   provider passes through unchanged (``passThroughClaim(for:)``).
/// - A credential never enters the key: credential query parameters are in the operation's
///   ``ProviderOperation/unkeyedQueryParameters`` and credential headers are never keyed.
/// - ``validate(_:for:)`` refuses every body the gateway would otherwise key on one reading while the
///   upstream acts on another (a field of the wrong type).
/// - ``usage(of:)`` counts every input token, those the provider's prompt cache read or wrote included.
/// - ``makeAssembler(for:)`` and ``replay(_:for:request:)`` agree: replaying an assembled answer and
///   assembling the replay gives the same answer.
///
/// Conformance is checked by `ProviderConformance` in `RepriseTesting`.
public protocol Provider: Sendable {
    /// The name in configuration (`provider: gemini`), logs and metrics.
    var name: String { get }

    /// The route labels of every cached operation, so metrics can be made up front.
    var routes: [String] { get }

    /// The provider's public API, used when the configuration names no upstream for it; `nil` when there is
    /// none to default to (Azure OpenAI's URL is per deployment).
    var defaultUpstreamURL: String? { get }

    /// The cached operation `request` asks for, or `nil` when it is not one.
    func operation(for request: ProviderRequestHead) -> ProviderOperation?

    /// How strongly the provider claims a request that is not a cached operation, or `nil` when it does not;
    /// the strongest claim takes it upstream unchanged.
    func passThroughClaim(for request: ProviderRequestHead) -> PassThroughClaim?

    /// The credential the client presented, or `nil`.
    func credential(in request: ProviderRequestHead) -> String?

    /// The headers clients send credentials in (lower case), all removed when the gateway sends its own key.
    var credentialHeaders: [String] { get }

    /// The query parameters clients send credentials in (Gemini's `key`), removed from the request when the
    /// gateway sends its own key, and never part of a cache key or a log line.
    var credentialQueryParameters: Set<String> { get }

    /// How the gateway sends its own key for this provider's upstream.
    var upstreamCredential: UpstreamCredentialPlacement { get }

    /// Request headers that change an answer, by lower-cased name, normalised, to enter the key.
    func keyedHeaders(_ request: ProviderRequestHead) -> [String: String]

    /// The model the request is for: the body's `model`, or the one its path names.
    func model(of body: JSONValue, for operation: ProviderOperation) -> String?

    /// Refuses a body whose fields the gateway or the upstream would read otherwise than they are meant.
    func validate(_ body: JSONValue, for operation: ProviderOperation) throws(ProviderBodyError)

    /// Whether the request asks for a streamed answer.
    func streams(_ body: JSONValue, for operation: ProviderOperation) -> Bool

    /// The path and query that ask for the same answer whole, for a request that streams by its path
    /// (Gemini's `streamGenerateContent?alt=sse` becomes `generateContent`); the request's own otherwise.
    func wholeAnswerTarget(path: String, query: String?, for operation: ProviderOperation) -> String

    /// Why the answer depends on state the provider keeps and changes between requests (so it must not be
    /// cached), or `nil`.
    func providerStateReason(_ body: JSONValue, for operation: ProviderOperation) -> String?

    /// The tokens an answer reports, or `nil` when it reports none.
    func usage(of answer: JSONValue) -> TokenUsage?

    /// The model to price an answer by: the request's, unless the answer names the one that really ran.
    func pricedModel(requestModel: String, answer: JSONValue?) -> String

    /// Whether a success body is an error in disguise (some proxies answer 200 with an error object).
    func reportsError(_ answer: JSONValue) -> Bool

    /// The body of an error the gateway answers itself, in this provider's shape.
    func errorBody(_ error: ProviderError) -> JSONValue

    /// A recorder for the operation's streamed answers, or `nil` when it does not stream.
    func makeAssembler(for operation: ProviderOperation) -> (any StreamAssembler)?

    /// A cached answer as the events the upstream would have streamed, or `nil` when the operation does not
    /// stream; `request` is the body of the request being answered (its options shape the replay).
    func replay(_ answer: JSONValue, for operation: ProviderOperation, request: JSONValue) -> [ServerSentEvent]?

    /// The body to send upstream when recording a stream for the cache, asking for what the entry needs
    /// (the usage chunk), or `nil` when the request goes as it is.
    func bodyForRecording(_ body: JSONValue, for operation: ProviderOperation) -> JSONValue?

    /// Whether the client would not receive a usage-only chunk from the upstream unless it asked, so one the
    /// gateway asked for must be taken out of its stream (``bodyForRecording(_:for:)``).
    func hidesUsageChunk(from body: JSONValue, for operation: ProviderOperation) -> Bool

    /// The words of the prompt, for policy rules and the volatility detector.
    func promptText(of body: JSONValue) -> PromptText

    /// The last user turn's plain text, and the body with that text replaced by `placeholder`, for semantic
    /// matching; `nil` when the last turn is not plain user text.
    func lastUserTurn(in body: JSONValue, replacingWith placeholder: JSONValue) -> (text: String, body: JSONValue)?

    /// Whether the gateway may add prompt-cache breakpoints (`cache_control`) to this provider's requests.
    var acceptsPromptCacheBreakpoints: Bool { get }
}

/// How strongly a provider claims a pass-through request.
public enum PassThroughClaim: Int, Sendable, Comparable {
    /// The path belongs to the provider's API family, as a fallback.
    case path = 1
    /// The path is the provider's own.
    case ownPath = 2
    /// A header only this provider's clients send (`anthropic-version`, `x-goog-api-key`).
    case header = 3

    public static func < (lhs: PassThroughClaim, rhs: PassThroughClaim) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where the gateway puts its own upstream key.
public enum UpstreamCredentialPlacement: Sendable, Hashable {
    /// In a header, the value being `prefix` followed by the key (`Authorization: Bearer …`).
    case header(name: String, prefix: String)
}

extension Provider {
    public var acceptsPromptCacheBreakpoints: Bool { false }

    public func keyedHeaders(_ request: ProviderRequestHead) -> [String: String] { [:] }

    public var credentialQueryParameters: Set<String> { [] }

    public func wholeAnswerTarget(path: String, query: String?, for operation: ProviderOperation) -> String {
        query.map { path + "?" + $0 } ?? path
    }

    public func model(of body: JSONValue, for operation: ProviderOperation) -> String? {
        if let model = body["model"]?.stringValue, !model.isEmpty { return model }
        return operation.pathModel
    }

    public func streams(_ body: JSONValue, for operation: ProviderOperation) -> Bool {
        operation.streamsByPath || body["stream"]?.boolValue == true
    }

    public func providerStateReason(_ body: JSONValue, for operation: ProviderOperation) -> String? { nil }

    public func pricedModel(requestModel: String, answer: JSONValue?) -> String { requestModel }

    public func reportsError(_ answer: JSONValue) -> Bool {
        if let error = answer["error"], error != .null { return true }
        return answer["type"]?.stringValue == "error"
    }

    public func bodyForRecording(_ body: JSONValue, for operation: ProviderOperation) -> JSONValue? { nil }

    public func hidesUsageChunk(from body: JSONValue, for operation: ProviderOperation) -> Bool { false }

    public func promptText(of body: JSONValue) -> PromptText { PromptText(body: body) }
}
