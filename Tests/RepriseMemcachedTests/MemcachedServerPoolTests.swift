import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import RepriseMemcached

/// A slot's connection is opened once for every request waiting for it, and closing the pool closes
/// connections still opening. Against a fake server on loopback that answers every request line with a
/// miss and counts the connections it accepted and saw close.
@Suite(.timeLimit(.minutes(1))) struct MemcachedServerPoolTests {
    @Test func aBurstOnAColdPoolOpensOneConnectionPerSlot() async throws {
        let server = try await FakeMemcachedServer.start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let pool = MemcachedServerPool(server: server.address, connections: 2, connectTimeout: .seconds(60), eventLoopGroup: group)
        let requests = 100
        try await withThrowingTaskGroup(of: [MemcachedResponse].self) { tasks in
            for index in 0..<requests {
                tasks.addTask { try await pool.send([.get(key: "k\(index)", quiet: false)], end: .afterAnswers(1)) }
            }
            for try await answers in tasks { #expect(answers == [.miss]) }
        }
        #expect(server.counts.accepted == 2, "one connection per slot, not one per request")
        pool.close()
        await server.waitUntil { $0.closed == 2 }
        try await server.stop()
        try await group.shutdownGracefully()
    }

    @Test func closeClosesAConnectionStillOpening() async throws {
        let server = try await FakeMemcachedServer.start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let pool = MemcachedServerPool(server: server.address, connections: 1, connectTimeout: .seconds(60), eventLoopGroup: group)
        // On the pool's only loop, the connect cannot progress between the two calls: close() finds it opening.
        let lookup = try await group.next().submit {
            let lookup = pool.lookup(0)
            pool.close()
            return lookup
        }.get()
        if case .pending(let attempt) = lookup {
            await #expect(throws: MemcachedConnectionClosed.self) { try await attempt.get() }
        } else {
            Issue.record("a cold slot should be opening, not \(lookup)")
        }
        // Waits for ever (until the suite's time limit) if the connection that opened after close() stays open.
        await server.waitUntil { $0.accepted == 1 && $0.closed == 1 }
        #expect(server.counts.closed == 1, "the connection that opened after close() should be closed")
        try await server.stop()
        try await group.shutdownGracefully()
    }

    @Test func aRequestOnAClosedConnectionFailsInsteadOfWaiting() async throws {
        let server = try await FakeMemcachedServer.start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let connection = try await MemcachedConnection.connect(to: server.address, on: group.next(), timeout: .seconds(60)).get()
        #expect(try await connection.send([.get(key: "k", quiet: false)], end: .afterAnswers(1)) == [.miss])
        connection.close()
        try await connection.channel.closeFuture.get()
        // Waits for ever (until the suite's time limit) when the answer's promise is dropped with the write.
        await #expect(throws: (any Error).self) { try await connection.send([.get(key: "k", quiet: false)], end: .afterAnswers(1)) }
        try await server.stop()
        try await group.shutdownGracefully()
    }
}

/// A memcached server that answers every request line with `EN` (a miss), counting connections.
private final class FakeMemcachedServer: Sendable {
    struct Counts: Sendable {
        var accepted = 0
        var closed = 0
    }

    private struct State {
        var counts = Counts()
        var waiters: [Int: (condition: @Sendable (Counts) -> Bool, continuation: CheckedContinuation<Void, Never>)] = [:]
        var nextWaiter = 0
    }

    /// Its own event loop, so the load of other tests running in parallel does not delay the answers.
    private static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    private let state = Mutex(State())
    private let channel = Mutex<(any Channel)?>(nil)

    var address: MemcachedServer { MemcachedServer(host: "127.0.0.1", port: channel.withLock { $0?.localAddress?.port } ?? 0) }
    var counts: Counts { state.withLock { $0.counts } }

    static func start() async throws -> FakeMemcachedServer {
        let server = FakeMemcachedServer()
        let channel = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture(withResultOf: {
                    try channel.pipeline.syncOperations.addHandler(MissHandler(server: server))
                })
            }
            .bind(host: "127.0.0.1", port: 0).get()
        server.channel.withLock { $0 = channel }
        return server
    }

    func stop() async throws {
        try await channel.withLock { $0 }?.close()
    }

    /// Returns once the counts meet `condition` (at once when they do), or the task is cancelled (at the
    /// suite's time limit).
    func waitUntil(_ condition: @escaping @Sendable (Counts) -> Bool) async {
        let waiter = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let met = state.withLock { state in
                    let met = condition(state.counts) || Task.isCancelled
                    if !met { state.waiters[waiter] = (condition, continuation) }
                    return met
                }
                if met { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: waiter) }?.continuation.resume()
        }
    }

    fileprivate func change(_ body: (inout Counts) -> Void) {
        let met = state.withLock { state in
            body(&state.counts)
            let counts = state.counts
            let met = state.waiters.filter { $0.value.condition(counts) }
            for waiter in met.keys { state.waiters[waiter] = nil }
            return met.values.map(\.continuation)
        }
        for continuation in met { continuation.resume() }
    }
}

private final class MissHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let server: FakeMemcachedServer

    init(server: FakeMemcachedServer) { self.server = server }

    func channelActive(context: ChannelHandlerContext) {
        server.change { $0.accepted += 1 }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        server.change { $0.closed += 1 }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let lines = unwrapInboundIn(data).readableBytesView.count(where: { $0 == UInt8(ascii: "\n") })
        if lines > 0 {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: String(repeating: "EN\r\n", count: lines))), promise: nil)
        }
    }
}
