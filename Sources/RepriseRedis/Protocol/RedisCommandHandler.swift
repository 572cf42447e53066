import NIOCore

/// A batch of commands written back to back, answered by the same number of replies.
struct RedisRequest: Sendable {
    var commands: [RedisCommand]
    /// How long after it is written the replies must all have arrived; past it the connection is given up
    /// (see ``RedisCommandHandler``). `nil` waits for ever.
    var timeout: Duration?
    /// When the caller stops waiting (its promise fails with a timeout), leaving the connection open: the
    /// late replies are dropped when they come. `nil` when the caller waits as long as the connection does.
    var answerBy: NIODeadline?
    /// The caller's deadline as a duration, for the error.
    var callerDeadline: Duration?
    var promise: EventLoopPromise<[RESPValue]>

    init(
        commands: [RedisCommand], timeout: Duration? = nil, answerBy: NIODeadline? = nil, callerDeadline: Duration? = nil,
        promise: EventLoopPromise<[RESPValue]>
    ) {
        self.commands = commands
        self.timeout = timeout
        self.answerBy = answerBy
        self.callerDeadline = callerDeadline
        self.promise = promise
    }
}

/// Pipelines requests: writes each as soon as it arrives and matches replies to requests in order.
///
/// Redis answers the commands of one connection in the order they were sent, so a queue of waiting
/// requests is all the matching needs. When the connection closes or the decoder meets bytes that are
/// not RESP, every waiting request fails and the channel is closed; replies can no longer be matched.
///
/// Deadlines are kept here too, with one timer per connection rather than one per request. A request has
/// two: the connection's (past it the connection is given up, since a late reply would answer the next
/// request; replies arrive in order, so the oldest request is the first that can be late) and, optionally,
/// its caller's (past it the caller gets a timeout, the request stays queued and its replies are dropped
/// when they come). The timer is set for the earliest of them and, when it fires, acts on what is due and
/// moves on to the next.
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
        var answerBy: NIODeadline?
        var callerDeadline: Duration?
        /// Whether the caller has been answered already (failed at its deadline).
        var answered = false
    }

    private var waiting = CircularBuffer<Waiting>()
    private var closedError: RedisError?
    private var deadlineTimer: Scheduled<Void>?
    /// When ``deadlineTimer`` fires.
    private var timerDeadline: NIODeadline?
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
            deadline: request.timeout.map { context.eventLoop.now + .nanoseconds($0.nanoseconds) } ?? .distantFuture,
            answerBy: request.answerBy, callerDeadline: request.callerDeadline))
        if let timerDeadline, let answerBy = request.answerBy, answerBy < timerDeadline {
            deadlineTimer?.cancel()
            deadlineTimer = nil
        }
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
            if !done.answered { done.promise.succeed(done.replies) }
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

    /// The earliest deadline still to act on: the oldest request's, or a caller's not yet answered.
    private var nextDeadline: NIODeadline? {
        guard let oldest = waiting.first else { return nil }
        var next = oldest.deadline
        for request in waiting where !request.answered {
            if let answerBy = request.answerBy, answerBy < next { next = answerBy }
        }
        return next == .distantFuture ? nil : next
    }

    /// Sets the timer for the earliest deadline, if there is one.
    private func armDeadlineTimer(context: ChannelHandlerContext) {
        guard let next = nextDeadline else { return }
        timerDeadline = next
        deadlineTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: next) { [self] in
            deadlineTimer = nil
            timerDeadline = nil
            deadlineReached(context: context)
        }
    }

    private func deadlineReached(context: ChannelHandlerContext) {
        guard let oldest = waiting.first else { return }
        let now = context.eventLoop.now
        if oldest.deadline <= now {
            onAbandon()
            failAll(.timeout("A command to", oldest.timeout ?? .zero, address), context: context)
            return
        }
        for index in waiting.indices where !waiting[index].answered {
            guard let answerBy = waiting[index].answerBy, answerBy <= now else { continue }
            waiting[index].answered = true
            waiting[index].promise.fail(RedisError.timeout("A command to", waiting[index].callerDeadline ?? .zero, address))
        }
        armDeadlineTimer(context: context)
    }

    private func failAll(_ error: RedisError, context: ChannelHandlerContext) {
        deadlineTimer?.cancel()
        deadlineTimer = nil
        timerDeadline = nil
        if closedError == nil { closedError = error }
        let failed = waiting
        waiting.removeAll()
        for request in failed where !request.answered { request.promise.fail(error) }
        context.close(promise: nil)
    }
}
