import NIOCore

/// Matches answers to requests on one connection in the order they were sent, so many requests can be in
/// flight at once (pipelining).
///
/// A request is a batch of commands with what ends its answer: a fixed number of answers, or (for quiet
/// commands, which answer only when they have something to say) the `MN` that a final `mn` produces.
/// When the connection fails or closes, every waiting request fails with that error.
final class MemcachedPipelineHandler: ChannelDuplexHandler {
    typealias InboundIn = MemcachedResponse
    typealias OutboundIn = MemcachedRequest
    typealias OutboundOut = [MemcachedCommand]

    private struct Waiting {
        var request: MemcachedRequest
        var answers: [MemcachedResponse] = []
    }

    private var waiting = CircularBuffer<Waiting>()
    private var failure: (any Error)?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            request.promise.fail(failure)
            promise?.fail(failure)
            return
        }
        waiting.append(Waiting(request: request))
        context.write(wrapOutboundOut(request.commands), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let response = unwrapInboundIn(data)
        guard var head = waiting.first else {
            failAll(MemcachedProtocolError(detail: "an answer nobody asked for"), context: context)
            return
        }
        let complete: Bool
        switch head.request.end {
        case .afterAnswers(let count):
            head.answers.append(response)
            complete = head.answers.count == count
        case .atNoop, .atEnd:
            if response == (head.request.end == .atNoop ? .noop : .end) {
                complete = true
            } else {
                head.answers.append(response)
                complete = false
            }
        }
        if complete {
            waiting.removeFirst()
            head.request.promise.succeed(head.answers)
        } else {
            waiting[waiting.startIndex] = head
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(MemcachedConnectionClosed(), context: context)
        context.fireChannelInactive()
    }

    private func failAll(_ error: any Error, context: ChannelHandlerContext) {
        if failure == nil { failure = error }
        while let next = waiting.popFirst() { next.request.promise.fail(error) }
        context.close(promise: nil)
    }
}

/// A batch of commands sent together, and the promise its answers complete.
struct MemcachedRequest: Sendable {
    enum End: Equatable {
        /// After this many answers.
        case afterAnswers(Int)
        /// At `MN`, which is not itself returned.
        case atNoop
        /// At `END`, which is not itself returned.
        case atEnd
    }

    var commands: [MemcachedCommand]
    var end: End
    var promise: EventLoopPromise<[MemcachedResponse]>
}

/// The connection closed before a request was answered.
struct MemcachedConnectionClosed: Error, CustomStringConvertible {
    var description: String { "the connection to memcached closed" }
}
