import Hummingbird
import NIOCore
import Prometheus
import Reprise
import RepriseProviders

/// Routes every request: each provider's cached operations, pass-through for the rest of their paths, and
/// the gateway's own `/health`, `/metrics` and `/admin/…`.
struct GatewayResponder: HTTPResponder {
    typealias Context = GatewayRequestContext

    let state: GatewayState

    func respond(to request: Request, context: Context) async throws -> Response {
        await EventLoopAffinity.join(context.eventLoop)
        let path = request.uri.path
        let head = ProviderRequestHead(request)
        if let (provider, operation) = state.providers.operation(for: head) {
            return await CachedRouteHandler(state: state).handle(request, provider: provider, operation: operation)
        }
        let provider = state.providers.passThroughProvider(for: head)
        do {
            switch path {
            case "/health": return health()
            case "/metrics": return await metrics()
            case _ where path.hasPrefix("/admin/"): return try await AdminHandler(state: state).handle(request)
            default:
                guard let provider else { throw GatewayError.notFound(path: path) }
                return try await PassThroughHandler(state: state).forward(request, provider: provider)
            }
        } catch let error as GatewayError {
            return error.response(for: provider ?? OpenAIProvider())
        }
    }

    /// What the connection guard does with a request head before the body is read: a cached route's body
    /// declared larger than the limit gets its 413 at once, in the route's error shape, instead of after the
    /// whole body has been sent. Other paths stream their uploads and take any size.
    static func headCheck(maximumBodyBytes: Int, providers: ProviderRegistry) -> @Sendable (HTTPRequest) -> ConnectionGuard.Verdict {
        { request in
            guard let declared = request.headerFields[.contentLength].flatMap(Int.init), declared > maximumBodyBytes,
                let (provider, _) = providers.operation(for: ProviderRequestHead(request))
            else { return .proceed }
            let error = GatewayError.bodyTooLarge(limit: maximumBodyBytes)
            var response = HTTPResponse(status: error.status)
            response.headerFields[.contentType] = "application/json"
            return .refuse(response, ByteBuffer(bytes: error.body(for: provider).canonicalBytes))
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
