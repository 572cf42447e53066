import Hummingbird
import NIOCore
import Reprise
import RepriseProviders

/// A request on a cached route after validation: its provider and operation, its body as JSON, the model,
/// the client's caching controls, the namespace it caches in, and the body as it goes upstream.
struct ParsedRequest: Sendable {
    var provider: any Provider
    var operation: ProviderOperation
    var pathAndQuery: String
    var query: String?
    var headers: HTTPFields
    var bytes: ByteBuffer
    var body: JSONValue
    var model: String
    var streams: Bool
    var controls: RequestControls
    var namespace: String
    /// The body sent upstream: ``bytes`` unless the gateway added prompt-cache breakpoints.
    var upstreamBytes: ByteBuffer
    /// How many prompt-cache breakpoints the gateway added.
    var addedBreakpoints = 0

    /// The route label: `/v1/chat/completions`, `/v1beta/models/{model}:generateContent`.
    var route: String { operation.route }

    /// Reads and validates `request`.
    /// - Throws: ``GatewayError`` for a wrong content type (400), a body over the limit (413), a body that
    ///   is not a JSON object naming a model, or whose fields the provider refuses (400), a malformed
    ///   control header (400), or a client key the gateway does not accept (401).
    static func read(
        _ request: Request, provider: any Provider, operation: ProviderOperation, state: GatewayState
    ) async throws(GatewayError) -> ParsedRequest {
        let contentType = request.headers[.contentType]
        guard let contentType, contentType.lowercased().hasPrefix("application/json") else {
            throw .unsupportedContentType(contentType)
        }
        let head = ProviderRequestHead(request)
        let credential = try authenticate(provider.credential(in: head), state: state)
        let limit = state.configuration.maximumBodyBytes
        let bytes: ByteBuffer
        do {
            bytes = try await request.body.collect(upTo: limit)
        } catch {
            throw .bodyTooLarge(limit: limit)
        }
        let body: JSONValue
        do {
            body = try JSONParser.parse(bytes.readableBytesView, options: .requestBody)
        } catch {
            throw .invalidJSON(error)
        }
        guard body.objectValue != nil else { throw .bodyNotAnObject() }
        guard let model = provider.model(of: body, for: operation) else { throw .missingModel() }
        do {
            try provider.validate(body, for: operation)
        } catch {
            throw .invalidField(error)
        }
        let controls: RequestControls
        do {
            controls = try RequestControls(
                cacheControl: request.headers[.cacheControl], timeToLive: request.headers[.repriseTTL],
                namespace: request.headers[.repriseNamespace], semantic: request.headers[.repriseSemantic])
        } catch {
            throw .invalidHeader(error)
        }
        var parsed = ParsedRequest(
            provider: provider, operation: operation, pathAndQuery: request.uri.description, query: request.uri.query,
            headers: request.headers, bytes: bytes, body: body, model: model, streams: provider.streams(body, for: operation),
            controls: controls, namespace: state.namespaces.namespace(credential: credential, narrowing: controls.namespace),
            upstreamBytes: bytes)
        parsed.addBreakpoints(state.configuration.promptCacheBreakpoints)
        return parsed
    }

    /// Adds prompt-cache breakpoints to the upstream body when configured, the provider takes them and the
    /// request sets none. The cache key is unchanged: it never includes `cache_control`.
    private mutating func addBreakpoints(_ settings: PromptCacheBreakpointSettings) {
        guard settings.isEnabled, provider.acceptsPromptCacheBreakpoints,
            let added = PromptCacheBreakpoints.adding(to: body, minimumTokens: settings.minimumTokens(for: model))
        else { return }
        upstreamBytes = ByteBuffer(bytes: added.body.canonicalBytes)
        addedBreakpoints = added.count
    }

    /// Why the answer depends on state the provider keeps and changes between requests, or `nil`.
    var providerStateReason: String? {
        provider.providerStateReason(body, for: operation)
    }

    /// Whether the client's stream must not show a usage chunk the gateway asked the upstream for.
    var hidesUsageChunk: Bool {
        provider.hidesUsageChunk(from: body, for: operation)
    }

    /// The request as the gateway sends it upstream when it records the stream for the cache, asking for
    /// what the entry needs (the usage chunk); unchanged when the provider needs nothing more.
    func forRecording() -> ParsedRequest {
        guard streams, let recorded = provider.bodyForRecording(body, for: operation) else { return self }
        var copy = self
        copy.upstreamBytes = ByteBuffer(bytes: recorded.canonicalBytes)
        return copy
    }

    /// The cache key of this request.
    func key(state: GatewayState) -> CacheKey {
        state.configuration.keyBuilder.key(namespace: namespace, route: keyedRoute, body: body, headers: keyedHeaders)
    }

    /// The route as it enters the key: the keyed path, with the query's parameters sorted when there are any
    /// (less the provider's credential and framing parameters), since the query goes upstream and may
    /// change the answer (Azure OpenAI's `api-version`, a proxy's variant).
    var keyedRoute: String { operation.keyedRoute(query: query) }

    /// The request headers that change the answer, normalised.
    var keyedHeaders: [String: String] { provider.keyedHeaders(ProviderRequestHead(method: "POST", path: route, query: query, fields: headers)) }

    /// The client's credential, checked against the gateway's client keys when it has any.
    static func authenticate(_ credential: String?, state: GatewayState) throws(GatewayError) -> String? {
        let keys = state.configuration.clientKeys
        guard !keys.isEmpty else { return credential }
        guard let credential, keys.contains(where: { ClientCredentials.constantTimeEquals($0, credential) }) else {
            throw .unauthorized()
        }
        return credential
    }

    /// The facts the policy decides on; the prompt and headers are gathered only when rules read them.
    func policyRequest(state: GatewayState) -> PolicyRequest {
        var headerValues: [String: String] = [:]
        if state.policyReadsHeaders {
            for field in headers { headerValues[field.name.canonicalName] = field.value }
        }
        let prompt = state.policyReadsPrompt ? provider.promptText(of: body) : PromptText(all: "", user: "")
        return PolicyRequest(route: route, model: model, headers: headerValues, prompt: prompt)
    }
}
