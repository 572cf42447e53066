import NIOCore
import NIOHTTP1

/// Carries one request at a time over an upstream HTTP/1.1 connection.
///
/// It writes a request's head, body and end together and flushes once, so the request leaves in one
/// system call (and wakes the upstream once); hands the answer to the exchange's consumer, whole or
/// streamed with read backpressure; enforces the exchange's deadline and size limit; and reports, once per
/// exchange, whether the connection may carry another request. Informational (1xx) answers are dropped by
/// the decoder. Everything runs on the channel's event loop.
final class UpstreamConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    /// How an exchange's answer is delivered.
    enum Consumer: Sendable {
        /// Buffered whole, up to `limit` bytes of body.
        case whole(EventLoopPromise<UpstreamResponse>, limit: Int)
        /// The head as soon as it arrives; the body chunk by chunk.
        case streaming(EventLoopPromise<UpstreamStreamingResponse>)
    }

    /// The request in flight.
    private final class Exchange {
        let id: UInt64
        let consumer: Consumer
        /// Whether the connection carried an earlier exchange (the keep-alive race can only hit those).
        let reused: Bool
        var responseStarted = false
        var head: HTTPResponseHead?
        var body: ByteBuffer?
        var receivedBytes = 0
        var source: UpstreamResponseBody.Producer.Source?
        /// Whether the streamed body's reader has room for more chunks.
        var readerWantsMore = true
        var timeout: Scheduled<Void>?
        /// When the request was written.
        var sentAt = NIODeadline.now()

        init(id: UInt64, consumer: Consumer, reused: Bool) {
            self.id = id
            self.consumer = consumer
            self.reused = reused
        }
    }

    private var context: ChannelHandlerContext?
    private var exchange: Exchange?
    private var exchangesStarted: UInt64 = 0
    /// A read the channel asked for while the streamed body's reader had enough buffered.
    private var readHeld = false
    /// Called once per exchange when it ends, with whether the connection may carry another request.
    var onExchangeEnd: ((Bool) -> Void)?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        // The connection holds this handler, and this closure holds the connection (so that a connection
        // carrying a streamed answer, which nobody else holds, can still report its end). Once the channel
        // is gone, no exchange can end again: letting go of the closure frees both.
        onExchangeEnd = nil
    }

    /// Sends `request` and delivers its answer to `consumer`; fails at once when the connection has closed.
    /// The pool lends a connection to one request at a time, so none is in flight.
    func start(_ request: UpstreamRequest, hostHeader: String, consumer: Consumer, deadline: NIODeadline, reused: Bool) {
        assert(exchange == nil, "an upstream connection was lent to two requests at once")
        guard let context, context.channel.isActive, exchange == nil else {
            Self.fail(consumer, head: nil, source: nil, with: .closedBeforeResponse)
            if exchange == nil { onExchangeEnd?(false) }
            return
        }
        exchangesStarted += 1
        let exchange = Exchange(id: exchangesStarted, consumer: consumer, reused: reused)
        self.exchange = exchange
        let id = exchange.id
        exchange.timeout = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            if self.exchange?.id == id { fail(.timedOut) }
        }
        var headers = request.headers
        headers.add(name: "Host", value: hostHeader)
        if let body = request.body {
            headers.add(name: "Content-Length", value: String(body.readableBytes))
        } else if request.method == .POST || request.method == .PUT || request.method == .PATCH {
            headers.add(name: "Content-Length", value: "0")
        }
        let head = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.path, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body = request.body, body.readableBytes > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Gives up on the exchange in flight, if any, closing the connection.
    func abandon() {
        fail(.abandoned)
    }

    /// Marks that bytes of an answer arrived, before the decoder has made anything of them.
    func responseBytesArrived() {
        exchange?.responseStarted = true
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let exchange else {
            // An answer nobody asked for: the connection's framing can no longer be trusted.
            context.close(promise: nil)
            return
        }
        switch unwrapInboundIn(data) {
        case .head(let head):
            exchange.head = head
            if case .streaming(let promise) = exchange.consumer {
                let (body, source) = UpstreamResponseBody.make(delegate: readerDelegate(for: exchange.id, context: context))
                exchange.source = source
                promise.succeed(UpstreamStreamingResponse(status: Int(head.status.code), headers: head.headers, body: body))
            }
        case .body(let chunk):
            exchange.receivedBytes += chunk.readableBytes
            switch exchange.consumer {
            case .whole(_, let limit):
                guard exchange.receivedBytes <= limit else { return fail(.tooLarge(limit: limit)) }
                if exchange.body == nil { exchange.body = chunk } else { exchange.body!.writeImmutableBuffer(chunk) }
            case .streaming:
                if exchange.source?.yield(chunk) == .stopProducing { exchange.readerWantsMore = false }
            }
        case .end:
            finish(exchange, context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let exchange { fail(closedError(exchange)) }
        context.fireChannelInactive()
    }

    /// How long after a request was written a close without an answer still counts as the keep-alive race
    /// (the upstream closing the idle connection as the request went out, which it then never read). A
    /// close later than this means the upstream took the request and gave up on it: sending it again
    /// could run, and bill, the generation twice.
    static let keepAliveRaceWindow: TimeAmount = .milliseconds(250)

    /// The error for a connection that closed during `exchange`.
    private func closedError(_ exchange: Exchange) -> UpstreamConnectionError {
        if exchange.responseStarted { return .closedMidResponse }
        return NIODeadline.now() - exchange.sentAt <= Self.keepAliveRaceWindow ? .closedBeforeResponse : .closedAfterRequest
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        switch error {
        case let error as UpstreamConnectionError:
            fail(error)
        case is HTTPParserError:
            fail(.malformedResponse("\(error)"))
        default:
            if let exchange { fail(closedError(exchange)) }
        }
        context.close(promise: nil)
    }

    func read(context: ChannelHandlerContext) {
        if let exchange, !exchange.readerWantsMore {
            readHeld = true
        } else {
            context.read()
        }
    }

    /// The streamed body's reader has room again.
    private func readerWantsMore(_ id: UInt64) {
        guard let exchange, exchange.id == id else { return }
        exchange.readerWantsMore = true
        releaseHeldRead()
    }

    /// The streamed body's reader is gone: finished reading (the exchange is over by then) or left early.
    private func readerLeft(_ id: UInt64) {
        guard let exchange, exchange.id == id else { return }
        fail(.abandoned)
    }

    private func readerDelegate(for id: UInt64, context: ChannelHandlerContext) -> UpstreamResponseBody.Delegate {
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let loop = context.eventLoop
        return UpstreamResponseBody.Delegate(
            onProduceMore: { loop.execute { handler.value.readerWantsMore(id) } },
            onTerminate: { loop.execute { handler.value.readerLeft(id) } })
    }

    private func releaseHeldRead() {
        guard readHeld, let context else { return }
        readHeld = false
        context.read()
    }

    /// The answer is complete: deliver it and free the connection, or close it when the upstream will not
    /// keep it open.
    private func finish(_ exchange: Exchange, context: ChannelHandlerContext) {
        guard let head = exchange.head else { return fail(.malformedResponse("an end without a head")) }
        self.exchange = nil
        exchange.timeout?.cancel()
        let reusable = head.isKeepAlive && context.channel.isActive
        if !reusable { context.close(promise: nil) }
        releaseHeldRead()
        onExchangeEnd?(reusable)
        switch exchange.consumer {
        case .whole(let promise, _):
            promise.succeed(
                UpstreamResponse(status: Int(head.status.code), headers: head.headers, body: exchange.body ?? ByteBuffer(), latency: .zero))
        case .streaming:
            exchange.source?.finish()
        }
    }

    /// Fails the exchange in flight, if any, and closes the connection.
    private func fail(_ error: UpstreamConnectionError) {
        guard let exchange else { return }
        self.exchange = nil
        exchange.timeout?.cancel()
        readHeld = false
        context?.close(promise: nil)
        onExchangeEnd?(false)
        Self.fail(exchange.consumer, head: exchange.head, source: exchange.source, with: error)
    }

    private static func fail(
        _ consumer: Consumer, head: HTTPResponseHead?, source: UpstreamResponseBody.Producer.Source?, with error: UpstreamConnectionError
    ) {
        switch consumer {
        case .whole(let promise, _):
            promise.fail(error)
        case .streaming(let promise):
            // Once the head went out the promise is spent; the body's reader gets the error instead.
            if head == nil { promise.fail(error) } else { source?.finish(error) }
        }
    }
}

extension UpstreamConnectionHandler {
    /// Sits before the HTTP decoder and tells the handler when bytes of an answer arrive, so that a
    /// connection that breaks after a partial answer head is not mistaken for one the upstream closed
    /// while idle (which alone is safe to retry).
    final class ResponseStartObserver: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer

        private let handler: UpstreamConnectionHandler

        init(_ handler: UpstreamConnectionHandler) {
            self.handler = handler
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            handler.responseBytesArrived()
            context.fireChannelRead(data)
        }
    }
}
