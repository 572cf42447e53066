import Hummingbird
import NIOCore
import Prometheus
import Reprise

/// Routes every request: the cached OpenAI and Anthropic routes, pass-through for the rest of `/v1/`, and the
/// gateway's own `/health`, `/metrics` and `/admin/…`.
struct GatewayResponder: HTTPResponder {
    typealias Context = GatewayRequestContext

    /// The routes whose `POST` answers are cached.
    static let cachedRoutes: Set<String> = ["/v1/chat/completions", "/v1/completions", "/v1/embeddings", "/v1/responses", "/v1/messages"]

    let state: GatewayState

    func respond(to request: Request, context: Context) async throws -> Response {
        await EventLoopAffinity.join(context.eventLoop)
        let path = request.uri.path
        if request.method == .post, let route = Self.cachedRoutes.first(where: { $0 == path }) {
            return await CachedRouteHandler(state: state).handle(request, route: route)
        }
        do {
            switch path {
            case "/health": return health()
            case "/metrics": return await metrics()
            case _ where path.hasPrefix("/admin/"): return try await AdminHandler(state: state).handle(request)
            case _ where path.hasPrefix("/v1/"): return try await PassThroughHandler(state: state).forward(request)
            default: throw GatewayError.notFound(path: path)
            }
        } catch let error as GatewayError {
            return error.response(for: path.hasPrefix("/v1/") ? UpstreamProvider(path: path, headers: request.headers) : .openAI)
        }
    }

    /// What the connection guard does with a request head before the body is read: a cached route's body
    /// declared larger than the limit gets its 413 at once, in the route's error shape, instead of after the
    /// whole body has been sent. Other paths stream their uploads and take any size.
    static func headCheck(maximumBodyBytes: Int) -> @Sendable (HTTPRequest) -> ConnectionGuard.Verdict {
        { request in
            guard request.method == .post, let path = request.path?.split(separator: "?", maxSplits: 1).first.map(String.init),
                cachedRoutes.contains(path),
                let declared = request.headerFields[.contentLength].flatMap(Int.init), declared > maximumBodyBytes
            else { return .proceed }
            let error = GatewayError.bodyTooLarge(limit: maximumBodyBytes)
            var response = HTTPResponse(status: error.status)
            response.headerFields[.contentType] = "application/json"
            return .refuse(response, ByteBuffer(bytes: error.body(for: UpstreamProvider(route: path)).canonicalBytes))
        }
    }

    private func health() -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }

    private func metrics() async -> Response {
        if let statistics = try? await state.store.statistics() { state.metrics.recordStore(statistics) }
        var bytes: [UInt8] = []
        state.registry.emit(into: &bytes)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
