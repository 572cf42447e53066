import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1.1 server channel with a ``ConnectionGuard`` on every connection and
/// ``ConnectionRegistry`` admitting connections up to the limit.
struct GatewayHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let responder: HTTPChannelHandler.Responder
    let limits: ConnectionLimits
    let registry: ConnectionRegistry
    let metrics: ConnectionMetrics
    let check: @Sendable (HTTPRequest) -> ConnectionGuard.Verdict

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let admission = registry.admit(channel)
        metrics.recordOpen(registry.count)
        switch admission {
        case .admitted: break
        case .admittedEvicting: metrics.closed(.evicted)
        case .refused: metrics.closed(.refused)
        }
        let registry = registry
        let metrics = metrics
        channel.closeFuture.whenComplete { _ in
            registry.remove(channel)
            metrics.recordOpen(registry.count)
        }
        let made = channel.eventLoop.makeCompletedFuture {
            let connectionGuard = ConnectionGuard(limits: limits, registry: registry, metrics: metrics, check: check)
            try channel.pipeline.syncOperations.addHandler(ConnectionGuard.ByteObserver(connectionGuard), position: .first)
            return NIOLoopBound(connectionGuard, eventLoop: channel.eventLoop)
        }
        return made.flatMap { bound in
            let http = HTTP1Channel(responder: responder, configuration: .init(additionalChannelHandlers: [bound.value]))
            return http.setup(channel: channel, logger: logger)
        }.map { value in
            // Refused connections are set up like any other (a failed setup would stop the accept loop)
            // and closed at once.
            if admission == .refused { channel.close(promise: nil) }
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await HTTP1Channel(responder: responder).handle(value: value, logger: logger)
    }
}
