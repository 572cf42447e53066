import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A purpose-built HTTP/1.1 client for the cached routes' upstream calls: a request's head and body leave
/// in one write, on a kept-alive connection of the caller's own event loop.
///
/// Compared with a general-purpose client it does less per request — no per-request connection-pool and
/// transaction state machines, one flush — which is most of the latency the gateway adds to a cache miss
/// (`docs/benchmarks.md`, "Where a miss spends its time").
///
/// Behaviour:
/// - keep-alive reuse; a `Connection: close` answer (or an HTTP/1.0 one) closes the connection after it;
/// - `Content-Length`, chunked and read-to-end-of-connection bodies; 1xx answers ignored;
/// - a refused or unreachable upstream fails at once (no retry); a request on a reused connection that
///   fails before any byte of the answer arrived (the upstream closed the connection while it was idle)
///   is retried once on a fresh one;
/// - one deadline for the whole exchange, streamed bodies included; whole answers are limited in size;
/// - `https://` upstreams over TLS with the system's trust roots and server name indication.
final class UpstreamHTTP1Client: Sendable {
    let endpoint: UpstreamEndpoint
    private let group: any EventLoopGroup
    private let pool: UpstreamConnectionPool

    /// - Parameters:
    ///   - maximumConnectionsPerLoop: connections open at once on one event loop; requests beyond wait.
    ///   - idleTimeout: how long an unused connection stays open.
    ///   - tlsConfiguration: for `https://` upstreams; by default, certificates are checked against the
    ///     system's trust roots and the host name.
    init(
        endpoint: UpstreamEndpoint, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, connectTimeout: TimeAmount,
        idleTimeout: TimeAmount = .seconds(60), maximumConnectionsPerLoop: Int = 256,
        tlsConfiguration: TLSConfiguration = .makeClientConfiguration()
    ) throws {
        self.endpoint = endpoint
        self.group = group
        var tls: NIOSSLContext?
        if endpoint.usesTLS {
            var configuration = tlsConfiguration
            configuration.applicationProtocols = ["http/1.1"]
            tls = try NIOSSLContext(configuration: configuration)
        }
        pool = UpstreamConnectionPool(
            endpoint: endpoint, tls: tls, connectTimeout: connectTimeout, idleTimeout: idleTimeout,
            maximumPerLoop: maximumConnectionsPerLoop)
    }

    /// Sends `request` and waits for the whole answer, whose body may hold at most `maximumResponseBytes`.
    /// The answer's `latency` is left for the caller to measure.
    func send(_ request: UpstreamRequest, deadline: NIODeadline, maximumResponseBytes: Int) async throws(UpstreamConnectionError) -> UpstreamResponse {
        try await perform(request, deadline: deadline) { .whole($0, limit: maximumResponseBytes) }
    }

    /// Sends `request` and returns as soon as the answer's head arrives; the body streams as it arrives.
    /// The deadline covers the body too.
    func stream(_ request: UpstreamRequest, deadline: NIODeadline) async throws(UpstreamConnectionError) -> UpstreamStreamingResponse {
        try await perform(request, deadline: deadline) { .streaming($0) }
    }

    /// Closes idle connections and refuses new requests; requests in flight finish.
    func shutdown() {
        pool.shutdown()
    }

    private func perform<Answer: Sendable>(
        _ request: UpstreamRequest, deadline: NIODeadline, consumer: (EventLoopPromise<Answer>) -> UpstreamConnectionHandler.Consumer
    ) async throws(UpstreamConnectionError) -> Answer {
        // The caller's own loop when it runs on one, so that the answer comes back on the same thread.
        let loop = group.any()
        let onLoop = loop.inEventLoop
        var retried = false
        while true {
            let lease = try await pool.lease(on: loop, anyLoopsIdle: !onLoop, deadline: deadline)
            let promise = lease.connection.eventLoop.makePromise(of: Answer.self)
            lease.connection.execute(request, consumer: consumer(promise), deadline: deadline, reused: lease.reused)
            do {
                return try await withTaskCancellationHandler {
                    try await promise.futureResult.get()
                } onCancel: {
                    lease.connection.abandon()
                }
            } catch let error as UpstreamConnectionError {
                // The keep-alive race: the upstream closed the idle connection as the request went out.
                if error == .closedBeforeResponse, lease.reused, !retried, !Task.isCancelled {
                    retried = true
                    continue
                }
                throw error
            } catch {
                throw .abandoned
            }
        }
    }
}
