import AsyncHTTPClient
import Hummingbird
import NIOCore
import NIOHTTP1

/// Forwards a request to the upstream unchanged (method, headers, body, status) and streams the answer
/// back, without caching: every path under `/v1/` that is not a cached route, and streamed requests.
struct PassThroughHandler: Sendable {
    let state: GatewayState

    /// Forwards `request`, streaming its body upstream.
    func forward(_ request: Request) async throws(GatewayError) -> Response {
        _ = try ParsedRequest.authenticate(request.headers, state: state)
        let length = request.headers[.contentLength].flatMap(Int.init)
        let body: HTTPClientRequest.Body? =
            request.method == .get || request.method == .head
            ? nil : .stream(request.body, length: length.map { .known(Int64($0)) } ?? .unknown)
        return try await forward(request, body: body, marks: [:])
    }

    /// Forwards `request` with an already collected body.
    func forward(_ request: Request, body: ByteBuffer, marks: HTTPFields) async throws(GatewayError) -> Response {
        try await forward(request, body: .bytes(body), marks: marks)
    }

    private func forward(_ request: Request, body: HTTPClientRequest.Body?, marks: HTTPFields) async throws(GatewayError) -> Response {
        let headers = HeaderForwarding.upstreamHeaders(
            from: request.headers, upstreamAPIKey: state.configuration.upstreamAPIKey, cachedRoute: false)
        let answer = try await state.upstream.stream(method: request.method, path: request.uri.description, headers: headers, body: body)
        var fields = HeaderForwarding.clientHeaders(from: answer.headers)
        for field in marks { fields[field.name] = field.value }
        return Response(status: .init(code: Int(answer.status.code)), headers: fields, body: ResponseBody(asyncSequence: answer.body))
    }
}
