import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import RepriseRedis

/// A server that accepts connections and answers nothing, as a hung Redis would.
private final class SilentHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}

/// A server that answers `PING` at once, the first `GET` it ever receives (on any connection) only after
/// 5 s with `late`, and every later `GET` at once with `fresh`.
private final class SlowFirstReplyHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private let getCount: Counter

    init(getCount: Counter) { self.getCount = getCount }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let text = String(buffer: unwrapInboundIn(data))
        guard text.contains("GET") else {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "+PONG\r\n")), promise: nil)
            return
        }
        if getCount.increment() == 1 {
            let channel = context.channel
            context.eventLoop.scheduleTask(in: .seconds(5)) {
                channel.writeAndFlush(ByteBuffer(string: "$4\r\nlate\r\n"), promise: nil)
            }
        } else {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "$5\r\nfresh\r\n")), promise: nil)
        }
    }
}

/// A server that answers every `GET k` with `k` after `delay`, in order, and `PING` at once.
private final class DelayedEchoHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    let delay: TimeAmount

    init(delay: TimeAmount) { self.delay = delay }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let text = String(buffer: unwrapInboundIn(data))
        let channel = context.channel
        // Each command is an array of bulk strings; the key is the last line of a GET.
        for command in text.split(separator: "*") {
            let lines = command.split(separator: "\r\n").filter { !$0.hasPrefix("$") }
            if lines.dropFirst().first == "PING" {
                channel.writeAndFlush(ByteBuffer(string: "+PONG\r\n"), promise: nil)
            } else if let key = lines.last {
                context.eventLoop.scheduleTask(in: delay) {
                    channel.writeAndFlush(ByteBuffer(string: "$\(key.utf8.count)\r\n\(key)\r\n"), promise: nil)
                }
            }
        }
    }
}

private final class Counter: Sendable {
    private let value = Mutex(0)
    func increment() -> Int { value.withLock { $0 += 1; return $0 } }
}

@Suite struct RedisDeadlineTests {
    /// Its own event loop, so the load of other tests running in parallel does not delay these replies.
    private static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    private func serve(_ makeHandler: @escaping @Sendable () -> any ChannelHandler) async throws -> any Channel {
        try await ServerBootstrap(group: Self.group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture(withResultOf: { try channel.pipeline.syncOperations.addHandler(makeHandler()) })
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    /// Generous deadlines (a loaded test machine is slow), still far shorter than the 5 s late reply.
    private func client(
        _ server: any Channel, connectTimeout: Duration = .seconds(2), commandTimeout: Duration = .seconds(2)
    ) -> (RedisStandaloneClient, RedisEndpoint) {
        let endpoint = RedisEndpoint(host: "127.0.0.1", port: server.localAddress?.port ?? 0)
        let configuration = RedisConfiguration(
            topology: .standalone(endpoint), connectionsPerNode: 1, connectTimeout: connectTimeout,
            commandTimeout: commandTimeout)
        return (RedisStandaloneClient(endpoint: endpoint, configuration: configuration, group: Self.group), endpoint)
    }

    @Test func aServerThatNeverAnswersFailsTheConnectDeadline() async throws {
        let server = try await serve { SilentHandler() }
        let (client, _) = client(server, connectTimeout: .milliseconds(300))
        defer { client.shutdown() }
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: RedisError.self) { try await client.send(RedisCommand("GET", ["k"]), routingKey: []) }
        #expect(error?.code == .connectionFailed)
        #expect(error?.message.contains("took longer than") == true, "got \(String(describing: error))")
        #expect(clock.now - start < .seconds(20), "the connect deadline of 300 ms was not kept")
        try await server.close()
    }

    @Test func aCommandWithoutReplyFailsItsDeadlineAndDropsTheConnection() async throws {
        let getCount = Counter()
        let server = try await serve { SlowFirstReplyHandler(getCount: getCount) }
        let (client, _) = client(server)
        defer { client.shutdown() }
        let error = await #expect(throws: RedisError.self) { try await client.send(RedisCommand("GET", ["k"]), routingKey: []) }
        #expect(error?.code == .timeout)
        // Kept open, the one pooled connection would hand the late reply to the next GET.
        let next = try await client.send(RedisCommand("GET", ["k"]), routingKey: [])
        #expect(next.string == "fresh", "the command after a timeout got \(next); the timed-out connection was reused")
        try await Task.sleep(for: .seconds(3))
        let afterLateReply = try await client.send(RedisCommand("GET", ["k"]), routingKey: [])
        #expect(afterLateReply.string == "fresh")
        try await server.close()
    }

    @Test func aCallerDeadlineEndsTheWaitForAConnectionThatDoesNotOpen() async throws {
        let server = try await serve { SilentHandler() }
        // A connect deadline of a minute: the caller's 200 ms must end the wait long before.
        let (client, _) = client(server, connectTimeout: .seconds(60), commandTimeout: .seconds(60))
        defer { client.shutdown() }
        let started = ContinuousClock.now
        let error = await #expect(throws: RedisError.self) {
            try await client.send([RedisCommand("GET", ["k"])], routingKey: [], within: .milliseconds(200))
        }
        #expect(error?.code == .timeout)
        #expect(ContinuousClock.now - started < .seconds(20), "waited for the connect deadline instead of the caller's 200 ms")
        try await server.close()
    }

    @Test func aCallerDeadlineEndsTheWaitForASlowReplyAndTheConnectionCarriesOn() async throws {
        // Replies come twelve seconds late; commands may wait thirty, so only the caller's deadline ends the first.
        let server = try await serve { DelayedEchoHandler(delay: .seconds(12)) }
        let (client, _) = client(server, commandTimeout: .seconds(30))
        defer { client.shutdown() }
        #expect(client.keepsCallerDeadlines)
        _ = try await client.send(RedisCommand("PING"), routingKey: [])
        let started = ContinuousClock.now
        let error = await #expect(throws: RedisError.self) {
            try await client.send([RedisCommand("GET", ["first"])], routingKey: [], within: .milliseconds(100))
        }
        #expect(error?.code == .timeout)
        #expect(ContinuousClock.now - started < .seconds(8), "the caller waited for the slow reply")
        // The one pooled connection stays open; its next command gets its own reply, not the late one.
        let next = try await client.send(RedisCommand("GET", ["second"]), routingKey: [])
        #expect(next.string == "second")
        try await server.close()
    }
}
