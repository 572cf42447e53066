import AsyncHTTPClient
import Hummingbird
import NIOCore
import NIOHTTP1
import Reprise
import RepriseProviders

/// Forwards a request to the upstream unchanged (method, headers, body, status) and streams the answer
/// back, without caching: every provider path that is not a cached operation, and cached operations the
/// policy keeps out of the cache; to the upstream of the provider with the strongest claim
/// (``ProviderRegistry/passThroughProvider(for:)``).
struct PassThroughHandler: Sendable {
    let state: GatewayState

    /// Forwards `request` of `provider`, streaming its body upstream.
    func forward(_ request: Request, provider: any Provider) async throws(GatewayError) -> Response {
        _ = try ParsedRequest.authenticate(provider.credential(in: ProviderRequestHead(request)), state: state)
        let length = request.headers[.contentLength].flatMap(Int.init)
        let body: HTTPClientRequest.Body?
        var streamed: SingleUseBody<RequestBody>?
        if request.method == .get || request.method == .head {
            body = nil
        } else if let length, length <= state.configuration.maximumBodyBytes {
            // A body of known, bounded size is read whole first: the upstream may answer before it has read
            // all of a streamed body, and the server then drains the rest while the client is still sending
            // it, two readers of one body. Larger or unsized bodies (uploads) are streamed.
            do {
                body = .bytes(try await request.body.collect(upTo: length))
            } catch {
                throw .bodyTooLarge(limit: length)
            }
        } else {
            let upload = SingleUseBody(request.body)
            streamed = upload
            body = .stream(upload, length: length.map { .known(Int64($0)) } ?? .unknown)
        }
        let response = try await forward(request, provider: provider, body: body, marks: [:])
        guard let streamed else { return response }
        // The answer may come before the upload is over; the server must not read the connection again
        // (draining the body) until the HTTP client is done with it.
        var answer = response
        let answerBody = response.body
        answer.body = ResponseBody { writer in
            try await answerBody.write(writer)
            await streamed.finishReading()
        }
        return answer
    }

    /// Forwards a validated request on a cached route that the policy keeps out of the cache.
    func forward(_ parsed: ParsedRequest, marks: HTTPFields) async throws(GatewayError) -> Response {
        let upstream = try state.upstream(for: parsed)
        let headers = state.upstreamHeaders(from: parsed.headers, provider: parsed.provider, upstream: upstream, cachedRoute: true)
        return try await forward(
            method: .post, path: state.upstreamTarget(parsed.pathAndQuery, provider: parsed.provider, upstream: upstream), headers: headers,
            body: .bytes(parsed.upstreamBytes), upstream: upstream, marks: marks)
    }

    private func forward(
        _ request: Request, provider: any Provider, body: HTTPClientRequest.Body?, marks: HTTPFields
    ) async throws(GatewayError) -> Response {
        let upstream = try state.upstreams.upstream(for: provider, model: nil)
        let headers = state.upstreamHeaders(from: request.headers, provider: provider, upstream: upstream, cachedRoute: false)
        return try await forward(
            method: request.method, path: state.upstreamTarget(request.uri.description, provider: provider, upstream: upstream), headers: headers,
            body: body, upstream: upstream, marks: marks)
    }

    private func forward(
        method: HTTPRequest.Method, path: String, headers: HTTPHeaders, body: HTTPClientRequest.Body?, upstream: Upstream,
        marks: HTTPFields
    ) async throws(GatewayError) -> Response {
        let answer = try await upstream.client.forward(method: method, path: path, headers: headers, body: body)
        var fields = HeaderForwarding.clientHeaders(from: answer.headers)
        for field in marks { fields[field.name] = field.value }
        return Response(status: .init(code: Int(answer.status.code)), headers: fields, body: ResponseBody(asyncSequence: answer.body))
    }
}
