import NIOCore
import NIOPosix

/// One TCP connection to a memcached server, with requests pipelined over it.
final class MemcachedConnection: Sendable {
    let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Connects to `server`: a future, so that one attempt can be shared by every request waiting for it
    /// without a task to run it. It ends by itself within `timeout`.
    static func connect(
        to server: MemcachedServer, on eventLoop: any EventLoop, timeout: Duration
    ) -> EventLoopFuture<MemcachedConnection> {
        ClientBootstrap(group: eventLoop)
            .connectTimeout(.nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        MessageToByteHandler(MemcachedCommandEncoder()),
                        ByteToMessageHandler(MemcachedResponseDecoder()),
                        MemcachedPipelineHandler(),
                    ])
                }
            }
            .connect(host: server.host, port: server.port)
            .map { MemcachedConnection(channel: $0) }
    }

    var isActive: Bool { channel.isActive }

    /// Sends `commands` as one write and waits for their answers.
    func send(_ commands: [MemcachedCommand], end: MemcachedRequest.End) async throws -> [MemcachedResponse] {
        let promise = channel.eventLoop.makePromise(of: [MemcachedResponse].self)
        // A write that fails before the pipeline handler took the request (the channel closed and its handlers
        // are gone) would otherwise drop the answer's promise, and its caller would wait for ever.
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { promise.fail($0) }
        channel.writeAndFlush(MemcachedRequest(commands: commands, end: end, promise: promise), promise: written)
        return try await promise.futureResult.get()
    }

    func close() {
        channel.close(promise: nil)
    }
}
