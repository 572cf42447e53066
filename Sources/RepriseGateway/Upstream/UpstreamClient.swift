import AsyncHTTPClient
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import Reprise

/// The gateway's pooled HTTP clients to one upstream API, with deadlines and errors mapped to the
/// gateway's own (502 unreachable, 504 too slow).
///
/// The cached routes' calls (``send(method:path:headers:body:)`` and
/// ``stream(method:path:headers:body:)``, whose bodies are whole) go through ``UpstreamHTTP1Client``, which
/// adds far less latency to a miss; pass-through requests, whose uploads stream, go through
/// AsyncHTTPClient (``forward(method:path:headers:body:)``).
final class UpstreamClient: Sendable {
    private let httpClient: HTTPClient
    private let http1: UpstreamHTTP1Client
    /// The base URL's path, put in front of every cached route's path (AsyncHTTPClient gets the whole URL).
    private let basePath: String
    /// The upstream base URL without a trailing slash or `/v1`.
    let baseURL: String
    let timeout: Duration
    let maximumResponseBytes: Int

    /// - Throws: ``Reprise/ConfigurationError`` when `baseURL` is not an `http://` or `https://` URL with a host,
    ///   or TLS cannot be set up for it; nothing has been opened then.
    init(baseURL: String, timeout: Duration, connectTimeout: Duration, maximumResponseBytes: Int) throws(ConfigurationError) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        guard let endpoint = UpstreamEndpoint(baseURL: base) else {
            throw .invalidValue("upstream", in: "the configuration", reason: "'\(baseURL)' is not an http:// or https:// URL with a host")
        }
        // The HTTP/1.1 client first: it is the part that can fail, and an AsyncHTTPClient dropped without being
        // shut down stops the process.
        do {
            http1 = try UpstreamHTTP1Client(endpoint: endpoint, connectTimeout: .nanoseconds(Int64(connectTimeout.secondsValue * 1e9)))
        } catch {
            throw .invalidValue("upstream", in: "the configuration", reason: "cannot set up TLS for '\(baseURL)': \(error)")
        }
        basePath = endpoint.basePath
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
        http1.shutdown()
        try? await httpClient.shutdown()
    }

    /// Closes everything from outside Swift Concurrency, when the gateway could not be started after this
    /// client was made.
    func shutdownAfterFailedStart() {
        http1.shutdown()
        try? httpClient.syncShutdown()
    }

    /// Sends a request and waits for the whole answer.
    func send(method: HTTPRequest.Method, path: String, headers: HTTPHeaders, body: ByteBuffer?) async throws(GatewayError) -> UpstreamResponse {
        let started = ContinuousClock.now
        do {
            var response = try await http1.send(
                UpstreamRequest(method: HTTPMethod(rawValue: method.rawValue), path: basePath + path, headers: headers, body: body), deadline: deadline,
                maximumResponseBytes: maximumResponseBytes)
            response.latency = ContinuousClock.now - started
            return response
        } catch {
            throw map(error)
        }
    }

    /// Sends a request and returns as soon as the answer's head arrives; the body streams as it arrives.
    func stream(method: HTTPRequest.Method, path: String, headers: HTTPHeaders, body: ByteBuffer?) async throws(GatewayError) -> UpstreamStreamingResponse {
        do {
            return try await http1.stream(
                UpstreamRequest(method: HTTPMethod(rawValue: method.rawValue), path: basePath + path, headers: headers, body: body), deadline: deadline)
        } catch {
            throw map(error)
        }
    }

    /// Forwards a pass-through request, whose body may stream, and returns as soon as the answer's head
    /// arrives; the body streams.
    func forward(method: HTTPRequest.Method, path: String, headers: HTTPHeaders, body: HTTPClientRequest.Body?) async throws(GatewayError) -> HTTPClientResponse {
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
        if let error = error as? UpstreamConnectionError {
            switch error {
            case .tooLarge: return .upstreamTooLarge(limit: maximumResponseBytes)
            case .timedOut: return .upstreamTimeout(baseURL, after: timeout)
            default: return .upstreamUnreachable(baseURL)
            }
        }
        if error is NIOTooManyBytesError { return .upstreamTooLarge(limit: maximumResponseBytes) }
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout {
            return .upstreamTimeout(baseURL, after: timeout)
        }
        return .upstreamUnreachable(baseURL)
    }
}
