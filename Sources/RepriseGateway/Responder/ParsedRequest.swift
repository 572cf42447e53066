import Hummingbird
import NIOCore
import Reprise

/// A request on a cached route after validation: its body as JSON, the model, the client's caching
/// controls, the namespace it caches in, and the body as it goes upstream.
struct ParsedRequest: Sendable {
    var route: String
    var provider: UpstreamProvider
    var pathAndQuery: String
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

    /// Reads and validates `request`.
    /// - Throws: ``GatewayError`` for a wrong content type (400), a body over the limit (413), a body that
    ///   is not a JSON object naming a model (400), a malformed control header (400), or a client key the
    ///   gateway does not accept (401).
    static func read(_ request: Request, route: String, state: GatewayState) async throws(GatewayError) -> ParsedRequest {
        let contentType = request.headers[.contentType]
        guard let contentType, contentType.lowercased().hasPrefix("application/json") else {
            throw .unsupportedContentType(contentType)
        }
        let credential = try authenticate(request.headers, state: state)
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
        guard let model = body["model"]?.stringValue, !model.isEmpty else { throw .missingModel() }
        try RequestBodyShape.check(body, route: route)
        let controls: RequestControls
        do {
            controls = try RequestControls(
                cacheControl: request.headers[.cacheControl], timeToLive: request.headers[.repriseTTL],
                namespace: request.headers[.repriseNamespace], semantic: request.headers[.repriseSemantic])
        } catch {
            throw .invalidHeader(error)
        }
        var parsed = ParsedRequest(
            route: route, provider: UpstreamProvider(route: route), pathAndQuery: request.uri.description,
            headers: request.headers, bytes: bytes, body: body, model: model, streams: body["stream"]?.boolValue == true,
            controls: controls, namespace: state.namespaces.namespace(credential: credential, narrowing: controls.namespace),
            upstreamBytes: bytes)
        parsed.addBreakpoints(state.configuration.promptCacheBreakpoints)
        return parsed
    }

    /// Adds prompt-cache breakpoints to the upstream body when configured and the request sets none. The
    /// cache key is unchanged: it never includes `cache_control`.
    private mutating func addBreakpoints(_ settings: PromptCacheBreakpointSettings) {
        guard settings.isEnabled, provider == .anthropic,
            let added = PromptCacheBreakpoints.adding(to: body, minimumTokens: settings.minimumTokens(for: model))
        else { return }
        upstreamBytes = ByteBuffer(bytes: added.body.canonicalBytes)
        addedBreakpoints = added.count
    }

    /// Why the answer depends on state the provider keeps and changes between requests, so the same body
    /// can mean something else next time; `nil` when it does not. A Responses API `conversation` gains
    /// items every turn; a stored `prompt` named without a `version` follows its latest version; an
    /// Anthropic `container` keeps the files earlier requests wrote. (A `previous_response_id` names an
    /// immutable response, so it stays cacheable, keyed with the body.)
    var providerStateReason: String? {
        func present(_ field: String) -> Bool { body[field].map { $0 != .null } ?? false }
        switch route {
        case "/v1/responses":
            if present("conversation") { return "provider-conversation" }
            if let prompt = body["prompt"], prompt.objectValue != nil, prompt["version"].map({ $0 == .null }) ?? true {
                return "provider-prompt-latest-version"
            }
        case "/v1/messages":
            if present("container") { return "provider-container" }
        default:
            break
        }
        return nil
    }

    /// Whether the client asked for a usage chunk at the end of its stream.
    var asksForStreamUsage: Bool {
        body["stream_options"]?["include_usage"]?.boolValue == true
    }

    /// Whether the route's streams carry usage only when asked (OpenAI's chat and text completions).
    var streamsUsageOnlyWhenAsked: Bool {
        route == "/v1/chat/completions" || route == "/v1/completions"
    }

    /// The request as the gateway sends it upstream when it records the stream for the cache: asking for
    /// the usage chunk, so the entry is stored with its usage. Unchanged when the client asked already,
    /// the request does not stream, or the route's streams always carry usage.
    func askingForStreamUsage() -> ParsedRequest {
        guard streams, streamsUsageOnlyWhenAsked, !asksForStreamUsage, case .object(var members) = body else { return self }
        var options = members["stream_options"]?.objectValue ?? [:]
        options["include_usage"] = true
        members["stream_options"] = .object(options)
        var copy = self
        copy.upstreamBytes = ByteBuffer(bytes: JSONValue.object(members).canonicalBytes)
        return copy
    }

    /// The cache key of this request.
    func key(state: GatewayState) -> CacheKey {
        state.configuration.keyBuilder.key(namespace: namespace, route: keyedRoute, body: body, headers: provider.keyedHeaders(headers))
    }

    /// The route as it enters the key: with the query string, when there is one, since it goes upstream and
    /// may change the answer (Azure OpenAI's `api-version`, a proxy's variant). Its parameters are sorted,
    /// so their order does not split the cache; a request without a query keeps the key it always had.
    var keyedRoute: String {
        guard let mark = pathAndQuery.firstIndex(of: "?") else { return route }
        let parameters = pathAndQuery[pathAndQuery.index(after: mark)...].split(separator: "&").filter { !$0.isEmpty }
        guard !parameters.isEmpty else { return route }
        return route + "?" + parameters.sorted().joined(separator: "&")
    }

    /// The client's credential, checked against the gateway's client keys when it has any.
    static func authenticate(_ headers: HTTPFields, state: GatewayState) throws(GatewayError) -> String? {
        let credential = ClientCredential.find(in: headers)
        let keys = state.configuration.clientKeys
        guard !keys.isEmpty else { return credential }
        guard let credential, keys.contains(where: { ClientCredential.constantTimeEquals($0, credential) }) else {
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
        let prompt = state.policyReadsPrompt ? PromptText(body: body) : PromptText(all: "", user: "")
        return PolicyRequest(route: route, model: model, headers: headerValues, prompt: prompt)
    }
}
