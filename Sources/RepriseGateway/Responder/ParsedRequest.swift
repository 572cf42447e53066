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
            body = try JSONParser.parse(bytes.readableBytesView)
        } catch {
            throw .invalidJSON(error)
        }
        guard body.objectValue != nil else { throw .bodyNotAnObject() }
        guard let model = body["model"]?.stringValue, !model.isEmpty else { throw .missingModel() }
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

    /// The cache key of this request.
    func key(state: GatewayState) -> CacheKey {
        state.configuration.keyBuilder.key(namespace: namespace, route: route, body: body, headers: provider.keyedHeaders(headers))
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
