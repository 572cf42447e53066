import Hummingbird
import NIOCore
import Reprise
import RepriseProviders

/// An error the gateway answers itself, in the upstream API's own error shape (``Provider/errorBody(_:)``), so
/// an SDK raises its usual exception type.
public struct GatewayError: Error, Sendable, Hashable {
    private enum Code: String, Sendable, Hashable {
        case invalidJSON = "invalid_json"
        case invalidBody = "invalid_request_body"
        case missingModel = "missing_model"
        case unsupportedContentType = "unsupported_content_type"
        case bodyTooLarge = "request_too_large"
        case invalidHeader = "invalid_header"
        case unauthorized = "invalid_api_key"
        case notFound = "not_found"
        case upstreamUnreachable = "upstream_unreachable"
        case upstreamTimeout = "upstream_timeout"
        case upstreamTooLarge = "upstream_response_too_large"
        case upstreamStreamIncomplete = "upstream_stream_incomplete"
        case adminDisabled = "admin_disabled"
        case adminUnauthorized = "admin_unauthorized"
        case noUpstream = "no_upstream"
    }

    private let code: Code
    /// The HTTP status answered.
    public let status: HTTPResponse.Status
    /// What went wrong and what to do, never containing a credential.
    public let message: String
    /// The request field at fault, when there is one.
    public let parameter: String?

    private init(_ code: Code, _ status: HTTPResponse.Status, _ message: String, parameter: String? = nil) {
        self.code = code
        self.status = status
        self.message = message
        self.parameter = parameter
    }

    /// What kind of failure this is, which each provider names in its own error shape.
    var category: ProviderError.Category {
        switch code {
        case .unauthorized, .adminUnauthorized: .authentication
        case .notFound, .adminDisabled: .notFound
        case .noUpstream: status == .notFound ? .notFound : .invalidRequest
        case .bodyTooLarge: .tooLarge
        case .upstreamTimeout: .timeout
        case .upstreamUnreachable, .upstreamTooLarge, .upstreamStreamIncomplete: .upstream
        default: .invalidRequest
        }
    }

    /// The error as a provider renders it.
    var providerError: ProviderError {
        ProviderError(status: status.code, category: category, code: code.rawValue, message: message, parameter: parameter)
    }

    /// The machine-readable error code.
    public var codeName: String { code.rawValue }

    static func invalidJSON(_ error: JSONParseError) -> GatewayError {
        GatewayError(.invalidJSON, .badRequest, "The request body is not valid JSON: \(error).")
    }

    static func bodyNotAnObject() -> GatewayError {
        GatewayError(.invalidBody, .badRequest, "The request body must be a JSON object.")
    }

    static func invalidField(_ error: ProviderBodyError) -> GatewayError {
        GatewayError(.invalidBody, .badRequest, "The request body's '\(error.field)' \(error.problem).", parameter: error.field)
    }

    static func missingModel() -> GatewayError {
        GatewayError(.missingModel, .badRequest, "The request body must name a model as a string in 'model'.", parameter: "model")
    }

    static func unsupportedContentType(_ contentType: String?) -> GatewayError {
        GatewayError(
            .unsupportedContentType, .badRequest,
            "Requests to this route must be sent with 'Content-Type: application/json', got '\(contentType ?? "none")'.")
    }

    static func bodyTooLarge(limit: Int) -> GatewayError {
        GatewayError(
            .bodyTooLarge, .contentTooLarge,
            "The request body is larger than the gateway's limit of \(limit) bytes; raise 'server.max_body_bytes' if this is expected.")
    }

    static func invalidHeader(_ error: RequestControlError) -> GatewayError {
        GatewayError(.invalidHeader, .badRequest, error.message, parameter: error.header)
    }

    static func unauthorized() -> GatewayError {
        GatewayError(
            .unauthorized, .unauthorized,
            "This gateway requires one of its client keys in 'Authorization: Bearer <key>' or 'x-api-key'; the key sent is missing or not accepted.")
    }

    static func notFound(path: String) -> GatewayError {
        GatewayError(.notFound, .notFound, "No route for '\(path)'. The gateway serves OpenAI- and Anthropic-compatible API paths under /v1/.")
    }

    static func upstreamUnreachable(_ upstream: String) -> GatewayError {
        GatewayError(
            .upstreamUnreachable, .badGateway,
            "The upstream API at \(upstream) could not be reached. Check 'upstream.url' (or 'upstream.anthropic_url' for Anthropic routes) and the network, then retry.")
    }

    static func upstreamTimeout(_ upstream: String, after timeout: Duration) -> GatewayError {
        GatewayError(
            .upstreamTimeout, .gatewayTimeout,
            "The upstream API at \(upstream) did not answer within \(DurationText.format(timeout)); retry, or raise 'upstream.timeout'.")
    }

    static func upstreamTooLarge(limit: Int) -> GatewayError {
        GatewayError(.upstreamTooLarge, .badGateway, "The upstream answer is larger than the gateway's limit of \(limit) bytes.")
    }

    static func upstreamStreamIncomplete() -> GatewayError {
        GatewayError(
            .upstreamStreamIncomplete, .badGateway,
            "The upstream's stream ended before its final event, so the answer is incomplete; retry the request.")
    }

    static func noUpstream(provider: String) -> GatewayError {
        GatewayError(
            .noUpstream, .notFound,
            "No upstream is configured for \(provider) requests; add one with 'provider: \(provider)' to 'upstreams' in the configuration.")
    }

    static func noUpstream(provider: String, model: String, globs: [(name: String, models: [String])]) -> GatewayError {
        let listed = globs.map { "\($0.name) (\($0.models.joined(separator: ", ")))" }.joined(separator: "; ")
        return GatewayError(
            .noUpstream, .badRequest,
            "No \(provider) upstream takes the model '\(model)'; the configured ones take: \(listed). Add a glob that matches it, or an upstream without 'models'.",
            parameter: "model")
    }

    static func adminDisabled() -> GatewayError {
        GatewayError(.adminDisabled, .notFound, "The admin API is disabled; set REPRISE_ADMIN_TOKEN to enable it.")
    }

    static func adminUnauthorized() -> GatewayError {
        GatewayError(.adminUnauthorized, .unauthorized, "The admin API requires 'Authorization: Bearer <REPRISE_ADMIN_TOKEN>'.")
    }

    static func invalidAdminRequest(_ message: String) -> GatewayError {
        GatewayError(.invalidBody, .badRequest, message)
    }

    /// The error as an HTTP response in OpenAI's error shape.
    public func response(extraHeaders: HTTPFields = [:]) -> Response {
        response(for: OpenAIProvider(), extraHeaders: extraHeaders)
    }

    /// The error as an HTTP response in `provider`'s error shape.
    func response(for provider: any Provider, extraHeaders: HTTPFields = [:]) -> Response {
        response(body: body(for: provider), extraHeaders: extraHeaders)
    }

    /// The error body in `provider`'s shape.
    func body(for provider: any Provider) -> JSONValue {
        provider.errorBody(providerError)
    }

    private func response(body: JSONValue, extraHeaders: HTTPFields) -> Response {
        var headers = extraHeaders
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body.canonicalBytes)))
    }
}
