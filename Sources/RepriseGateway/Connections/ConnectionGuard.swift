import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Reprise

/// Watches one client connection: closes it when a request's head or body arrives too slowly or it idles
/// too long between requests, answers `Expect: 100-continue`, refuses a request whose declared body is
/// over the limit before reading it, and keeps ``ConnectionRegistry`` told whether it is idle.
///
/// It sits after the HTTP codec, where it sees requests and responses; its ``ByteObserver`` sits before
/// the decoder and tells it when the first byte of a request arrives. Everything runs on the channel's
/// event loop.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// What to do with a request head before the application sees it.
    enum Verdict: Sendable {
        case proceed
        /// Answer this and close the connection without reading the body.
        case refuse(HTTPResponse, ByteBuffer)
    }

    private enum Phase {
        /// Waiting for a request's head: the connection is new, or bytes of a request have arrived.
        case awaitingHead
        /// Waiting for the next request on a kept-alive connection.
        case idle
        case readingBody
        /// The request is read; the application answers it (no deadline: the upstream's timeout applies).
        case responding
        /// A request was refused; everything else on the connection is dropped.
        case closing
    }

    private let limits: ConnectionLimits
    private let registry: ConnectionRegistry
    private let metrics: ConnectionMetrics
    private let check: @Sendable (HTTPRequest) -> Verdict
    private var phase = Phase.awaitingHead
    private var deadline = NIODeadline.distantFuture
    private var timer: Scheduled<Void>?
    /// Requests whose head arrived and whose response has not ended.
    private var requestsInProgress = 0
    private var context: ChannelHandlerContext?

    init(limits: ConnectionLimits, registry: ConnectionRegistry, metrics: ConnectionMetrics, check: @escaping @Sendable (HTTPRequest) -> Verdict) {
        self.limits = limits
        self.registry = registry
        self.metrics = metrics
        self.check = check
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        enter(.awaitingHead, within: limits.headTimeout)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        self.context = nil
    }

    /// Bytes arrived before the decoder made anything of them: a request has begun.
    func bytesArrived() {
        if case .idle = phase { enter(.awaitingHead, within: limits.headTimeout) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if case .closing = phase { return }
        switch part {
        case .head(let request):
            if case .refuse(let response, let body) = check(request) {
                refuse(with: response, body: body, context: context)
                return
            }
            requestsInProgress += 1
            enter(.readingBody, within: limits.bodyTimeout)
            if request.headerFields[.expect]?.lowercased().contains("100-continue") == true {
                context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
            }
        case .body:
            break
        case .end:
            if requestsInProgress > 0 { enter(.responding) } else { enter(.idle, within: limits.idleTimeout) }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            requestsInProgress = max(0, requestsInProgress - 1)
            if requestsInProgress == 0, case .responding = phase { enter(.idle, within: limits.idleTimeout) }
        }
        context.write(data, promise: promise)
    }

    private func enter(_ next: Phase, within timeout: Duration? = nil) {
        phase = next
        guard let context else { return }
        switch next {
        case .idle, .awaitingHead: registry.setIdle(true, context.channel)
        case .readingBody, .responding, .closing: registry.setIdle(false, context.channel)
        }
        guard let timeout else {
            deadline = .distantFuture
            return
        }
        deadline = context.eventLoop.now + .nanoseconds(Int64(min(timeout.secondsValue, 86_400) * 1e9))
        scheduleCheck(context: context)
    }

    private func scheduleCheck(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            expire()
        }
    }

    /// The deadline passed: close the connection unless it moved on since.
    private func expire() {
        guard let context, context.eventLoop.now >= deadline else { return }
        let reason: ConnectionCloseReason
        switch phase {
        case .awaitingHead: reason = .headTimeout
        case .readingBody: reason = .bodyTimeout
        case .idle: reason = .idleTimeout
        case .responding, .closing: return
        }
        metrics.closed(reason)
        context.close(promise: nil)
    }

    private func refuse(with response: HTTPResponse, body: ByteBuffer, context: ChannelHandlerContext) {
        enter(.closing)
        metrics.closed(.refusedRequest)
        var head = response
        head.headerFields[.contentLength] = String(body.readableBytes)
        head.headerFields[.connection] = "close"
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}

extension ConnectionGuard {
    /// Sits before the HTTP decoder and tells the guard when a request's first bytes arrive, since the
    /// decoder says nothing until a whole head has come.
    final class ByteObserver: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer

        private let connectionGuard: ConnectionGuard

        init(_ connectionGuard: ConnectionGuard) {
            self.connectionGuard = connectionGuard
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            connectionGuard.bytesArrived()
            context.fireChannelRead(data)
        }
    }
}
