import AsyncHTTPClient
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import Reprise

/// The gateway's one pooled HTTP client to the upstream API, with deadlines and errors mapped to the
/// gateway's own (502 unreachable, 504 too slow).
final class UpstreamClient: Sendable {
    private let httpClient: HTTPClient
    /// The upstream base URL without a trailing slash or `/v1`.
    let baseURL: String
    let timeout: Duration
    let maximumResponseBytes: Int

    init(baseURL: String, timeout: Duration, connectTimeout: Duration, maximumResponseBytes: Int) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        self.baseURL = base
        self.timeout = timeout
        self.maximumResponseBytes = maximumResponseBytes
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .nanoseconds(Int64(connectTimeout.secondsValue * 1e9))),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 512))
        configuration.httpVersion = .automatic
        // A refused connection becomes a 502 at once: the client's SDK retries with its own backoff, and
        // a gateway that silently retried until the connect timeout would only add latency to the failure.
        configuration.connectionPool.retryConnectionEstablishment = false
        // No tracer: the gateway does not export traces, and building each request's span attributes for the
        // no-op tracer cost about 4% of a miss's CPU time.
        configuration.tracing.tracer = nil
        self.httpClient = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    func shutdown() async {
        try? await httpClient.shutdown()
    }

    /// Sends a request and waits for the whole answer.
    func send(method: HTTPRequest.Method, path: String, headers: HTTPHeaders, body: ByteBuffer?) async throws(GatewayError) -> UpstreamResponse {
        let started = ContinuousClock.now
        do {
            let response = try await httpClient.execute(request(method: method, path: path, headers: headers, body: body.map { .bytes($0) }), deadline: deadline)
            let bytes = try await response.body.collect(upTo: maximumResponseBytes)
            return UpstreamResponse(status: Int(response.status.code), headers: response.headers, body: bytes, latency: ContinuousClock.now - started)
        } catch {
            throw map(error)
        }
    }

    /// Sends a request and returns as soon as the answer's head arrives; the body streams.
    func stream(method: HTTPRequest.Method, path: String, headers: HTTPHeaders, body: HTTPClientRequest.Body?) async throws(GatewayError) -> HTTPClientResponse {
        do {
            return try await httpClient.execute(request(method: method, path: path, headers: headers, body: body), deadline: deadline)
        } catch {
            throw map(error)
        }
    }

    private var deadline: NIODeadline {
        .now() + .nanoseconds(Int64(timeout.secondsValue * 1e9))
    }

    private func request(method: HTTPRequest.Method, path: String, headers: HTTPHeaders, body: HTTPClientRequest.Body?) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = HTTPMethod(rawValue: method.rawValue)
        request.headers = headers
        request.body = body
        return request
    }

    func map(_ error: any Error) -> GatewayError {
        if error is NIOTooManyBytesError { return .upstreamTooLarge(limit: maximumResponseBytes) }
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout {
            return .upstreamTimeout(baseURL, after: timeout)
        }
        return .upstreamUnreachable(baseURL)
    }
}
