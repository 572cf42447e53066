import NIOCore

/// A batch of commands written back to back, answered by the same number of replies.
struct RedisRequest: Sendable {
    var commands: [RedisCommand]
    var promise: EventLoopPromise<[RESPValue]>
}

/// Pipelines requests: writes each as soon as it arrives and matches replies to requests in order.
///
/// Redis answers the commands of one connection in the order they were sent, so a queue of waiting
/// requests is all the matching needs. When the connection closes or the decoder meets bytes that are
/// not RESP, every waiting request fails and the channel is closed; replies can no longer be matched.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = RedisCommand

    private struct Waiting {
        var remaining: Int
        var replies: [RESPValue]
        var promise: EventLoopPromise<[RESPValue]>
    }

    private var waiting = CircularBuffer<Waiting>()
    private var closedError: RedisError?
    private let address: String

    init(address: String) {
        self.address = address
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
        waiting.append(Waiting(remaining: request.commands.count, replies: [], promise: request.promise))
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

    private func failAll(_ error: RedisError, context: ChannelHandlerContext) {
        if closedError == nil { closedError = error }
        let failed = waiting
        waiting.removeAll()
        for request in failed { request.promise.fail(error) }
        context.close(promise: nil)
    }
}
