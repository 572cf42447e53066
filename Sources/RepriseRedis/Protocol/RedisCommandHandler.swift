import NIOCore

/// A batch of commands written back to back, answered by the same number of replies.
struct RedisRequest: Sendable {
    var commands: [RedisCommand]
    /// How long after it is written the replies must all have arrived; past it the connection is given up
    /// (see ``RedisCommandHandler``). `nil` waits for ever.
    var timeout: Duration?
    var promise: EventLoopPromise<[RESPValue]>

    init(commands: [RedisCommand], timeout: Duration? = nil, promise: EventLoopPromise<[RESPValue]>) {
        self.commands = commands
        self.timeout = timeout
        self.promise = promise
    }
}

/// Pipelines requests: writes each as soon as it arrives and matches replies to requests in order.
///
/// Redis answers the commands of one connection in the order they were sent, so a queue of waiting
/// requests is all the matching needs. When the connection closes or the decoder meets bytes that are
/// not RESP, every waiting request fails and the channel is closed; replies can no longer be matched.
///
/// Deadlines are kept here too, with one timer per connection rather than one per request: it is set for
/// the oldest waiting request's deadline and, when it fires, either gives up on the connection (that request
/// is late, and a late reply would answer the next one) or moves on to the new oldest request's deadline.
/// Replies arrive in order, so the oldest request is always the first that can be late.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = RedisCommand

    private struct Waiting {
        var remaining: Int
        var replies: [RESPValue]
        var promise: EventLoopPromise<[RESPValue]>
        var timeout: Duration?
        var deadline: NIODeadline
    }

    private var waiting = CircularBuffer<Waiting>()
    private var closedError: RedisError?
    private var deadlineTimer: Scheduled<Void>?
    private let address: String
    private let onAbandon: @Sendable () -> Void

    /// - Parameter onAbandon: called the moment a missed deadline gives up on the connection, before the
    ///   channel has finished closing (a TLS close waits for the peer), so that it is never handed out again.
    init(address: String, onAbandon: @escaping @Sendable () -> Void = {}) {
        self.address = address
        self.onAbandon = onAbandon
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let closedError {
            request.promise.fail(closedError)
            promise?.fail(closedError)
            return
        }
        guard !request.commands.isEmpty else {
            request.promise.succeed([])
            promise?.succeed(())
            return
        }
        waiting.append(Waiting(remaining: request.commands.count, replies: [], promise: request.promise, timeout: request.timeout,
            deadline: request.timeout.map { context.eventLoop.now + .nanoseconds($0.nanoseconds) } ?? .distantFuture))
        if deadlineTimer == nil { armDeadlineTimer(context: context) }
        for (index, command) in request.commands.enumerated() {
            context.write(wrapOutboundOut(command), promise: index == request.commands.count - 1 ? promise : nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        // Out-of-band messages (RESP3 pushes) answer no command.
        if case .push = reply { return }
        guard !waiting.isEmpty else {
            failAll(.protocolError("a reply arrived that no command asked for"), context: context)
            return
        }
        waiting[waiting.startIndex].replies.append(reply)
        waiting[waiting.startIndex].remaining -= 1
        if waiting[waiting.startIndex].remaining == 0 {
            let done = waiting.removeFirst()
            done.promise.succeed(done.replies)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(.connectionClosed(address), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let redisError = (error as? RedisError)
            ?? RedisError(code: .connectionClosed, message: "The connection to Redis at \(address) failed: \(error).")
        failAll(redisError, context: context)
    }

    /// Sets the timer for the oldest waiting request's deadline, if it has one.
    private func armDeadlineTimer(context: ChannelHandlerContext) {
        guard let oldest = waiting.first, oldest.deadline != .distantFuture else { return }
        deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: oldest.deadline) { [self] in
            deadlineTimer = nil
            deadlineReached(context: context)
        }
    }

    private func deadlineReached(context: ChannelHandlerContext) {
        guard let oldest = waiting.first else { return }
        guard oldest.deadline <= context.eventLoop.now else {
            armDeadlineTimer(context: context)
            return
        }
        onAbandon()
        failAll(.timeout("A command to", oldest.timeout ?? .zero, address), context: context)
    }

    private func failAll(_ error: RedisError, context: ChannelHandlerContext) {
        deadlineTimer?.cancel()
        deadlineTimer = nil
        if closedError == nil { closedError = error }
        let failed = waiting
        waiting.removeAll()
        for request in failed { request.promise.fail(error) }
        context.close(promise: nil)
    }
}
