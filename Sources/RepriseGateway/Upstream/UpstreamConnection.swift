import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTP/1.1 connection to the upstream, carrying one request at a time, kept alive between requests
/// by ``UpstreamConnectionPool``.
final class UpstreamConnection: Sendable {
    private let channel: any Channel
    private let handler: NIOLoopBound<UpstreamConnectionHandler>
    private let hostHeader: String

    private init(channel: any Channel, handler: UpstreamConnectionHandler, hostHeader: String) {
        self.channel = channel
        self.handler = NIOLoopBound(handler, eventLoop: channel.eventLoop)
        self.hostHeader = hostHeader
    }

    /// The loop the connection lives on; requests and answers are handled there.
    var eventLoop: any EventLoop { channel.eventLoop }

    /// Whether the connection is still open (an idle one the upstream closed is not).
    var isActive: Bool { channel.isActive }

    /// Completes once the connection is closed and its handlers are gone.
    var closeFuture: EventLoopFuture<Void> { channel.closeFuture }

    /// Opens a connection on `loop`, over TLS when `tls` is given.
    /// - Parameter onExchangeEnd: called on the loop once per request when it ends, with whether the
    ///   connection may carry another.
    static func connect(
        to endpoint: UpstreamEndpoint, tls: NIOSSLContext?, on loop: any EventLoop, connectTimeout: TimeAmount,
        onExchangeEnd: @escaping @Sendable (UpstreamConnection, Bool) -> Void
    ) async throws(UpstreamConnectionError) -> UpstreamConnection {
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let tls {
                        try pipeline.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: endpoint.hostIsIPAddress ? nil : endpoint.host))
                    }
                    let handler = UpstreamConnectionHandler()
                    try pipeline.addHandler(UpstreamConnectionHandler.ResponseStartObserver(handler))
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(handler)
                }
            }
        do {
            return try await bootstrap.connect(host: endpoint.host, port: endpoint.port).flatMapThrowing { channel in
                let handler = try channel.pipeline.syncOperations.handler(type: UpstreamConnectionHandler.self)
                let connection = UpstreamConnection(channel: channel, handler: handler, hostHeader: endpoint.hostHeader)
                handler.onExchangeEnd = { reusable in onExchangeEnd(connection, reusable) }
                return connection
            }.get()
        } catch {
            throw .connectFailed("\(error)")
        }
    }

    /// Sends `request` and delivers the answer to `consumer`.
    func execute(_ request: UpstreamRequest, consumer: UpstreamConnectionHandler.Consumer, deadline: NIODeadline, reused: Bool) {
        if channel.eventLoop.inEventLoop {
            handler.value.start(request, hostHeader: hostHeader, consumer: consumer, deadline: deadline, reused: reused)
        } else {
            channel.eventLoop.execute { [self] in
                handler.value.start(request, hostHeader: hostHeader, consumer: consumer, deadline: deadline, reused: reused)
            }
        }
    }

    /// Gives up on the request in flight, closing the connection.
    func abandon() {
        if channel.eventLoop.inEventLoop {
            handler.value.abandon()
        } else {
            channel.eventLoop.execute { [self] in handler.value.abandon() }
        }
    }

    /// Closes the connection; a request in flight fails.
    func close() {
        channel.close(promise: nil)
    }
}
