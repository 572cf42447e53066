import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import RepriseRedis

/// The pool's slots are shared out among the event loops, so a caller on a loop uses that loop's
/// connections; callers elsewhere, and pools smaller than the group, go round-robin over every slot. A slot's
/// connection is opened once for every command waiting for it, each waiting until its own deadline, and
/// shutdown closes connections still opening. The fake node holds the handshake's `PING` so that commands
/// meet the attempt under way.
@Suite(.timeLimit(.minutes(1))) struct RedisConnectionPoolTests {
    static let endpoint = RedisEndpoint(host: "127.0.0.1", port: 1)

    /// Their own event loops, so that other suites blocking the shared ones (a host name lookup) do not delay these.
    private static let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    /// Settings whose own timeouts no test reaches: only the caller's deadlines and the fake node end waits.
    private static func settings(_ node: FakeRedisNode) -> RedisConnectionSettings {
        RedisConnectionSettings(RedisConfiguration(
            topology: .standalone(node.endpoint), connectTimeout: .seconds(60), commandTimeout: .seconds(60)))
    }

    /// A node that holds the answer to the handshake's `PING` until released, and answers `OK` to the rest.
    private static func nodeHoldingHandshakes() async throws -> FakeRedisNode {
        try await FakeRedisNode.start { command in command == ["PING"] ? .held("+PONG\r\n") : .now("+OK\r\n") }
    }

    @Test func aCallerOnALoopUsesThatLoopsSlots() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let pool = RedisConnectionPool(endpoint: Self.endpoint, settings: RedisConnectionSettings(RedisConfiguration(topology: .standalone(Self.endpoint))), size: 5, group: group)
        let loops = Array(group.makeIterator())
        for (position, loop) in loops.enumerated() {
            let slots = try await loop.submit { (0..<6).map { _ in pool.nextSlotIndex() } }.get()
            #expect(slots.allSatisfy { $0 % 2 == position }, "loop \(position) got \(slots)")
            #expect(Set(slots) == Set(stride(from: position, to: 5, by: 2)))
        }
        // Off the loops: every slot in turn.
        #expect((0..<5).map { _ in pool.nextSlotIndex() } == [0, 1, 2, 3, 4])
        try await group.shutdownGracefully()
    }

    @Test func aPoolSmallerThanTheGroupIsSharedByEveryLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let pool = RedisConnectionPool(endpoint: Self.endpoint, settings: RedisConnectionSettings(RedisConfiguration(topology: .standalone(Self.endpoint))), size: 1, group: group)
        let loop = group.next()
        #expect(try await loop.submit { [pool.nextSlotIndex(), pool.nextSlotIndex()] }.get() == [0, 0])
        try await group.shutdownGracefully()
    }

    @Test func aBurstOnAColdPoolOpensOneConnectionPerSlot() async throws {
        let node = try await Self.nodeHoldingHandshakes()
        let pool = RedisConnectionPool(endpoint: node.endpoint, settings: Self.settings(node), size: 2, group: Self.group)
        let commands = 100
        try await withThrowingTaskGroup(of: RESPValue.self) { tasks in
            for index in 0..<commands {
                tasks.addTask {
                    // Half wait without a deadline, half with one: both kinds share the attempt.
                    index.isMultiple(of: 2)
                        ? try await pool.send(RedisCommand("GET", ["k"]))
                        : try await pool.send([RedisCommand("GET", ["k"])], within: .seconds(60))[0]
                }
            }
            // Both slots' handshakes are held until both connections are accepted, so the burst meets them opening.
            await node.waitUntil { $0.accepted >= 2 }
            node.release()
            for try await reply in tasks { #expect(reply == .simpleString("OK")) }
        }
        #expect(node.counts.accepted == 2, "one connection per slot, not one per command")
        #expect(node.counts.received("GET") == commands)
        pool.shutdown()
        try await node.stop()
    }

    @Test func aCommandStopsWaitingAtItsDeadlineWhileTheConnectionGoesOnOpeningForTheNext() async throws {
        let node = try await Self.nodeHoldingHandshakes()
        let pool = RedisConnectionPool(endpoint: node.endpoint, settings: Self.settings(node), size: 1, group: Self.group)
        let error = await #expect(throws: RedisError.self) {
            try await pool.send([RedisCommand("GET", ["first"])], within: .milliseconds(200))
        }
        #expect(error?.code == .timeout)
        async let next = pool.send([RedisCommand("GET", ["next"])], within: .seconds(60))
        node.release()
        #expect(try await next == [.simpleString("OK")])
        #expect(node.counts.accepted == 1, "the command after the deadline should get the connection the first one began opening")
        #expect(node.counts.received("GET") == 1, "the command that stopped waiting should not be sent")
        pool.shutdown()
        try await node.stop()
    }

    @Test func aFailedAttemptEmptiesTheSlotForTheNextCommand() async throws {
        let pings = Mutex(0)
        // The first handshake's PING is refused, as a server still loading its data set would.
        let node = try await FakeRedisNode.start { command in
            if command != ["PING"] { return .now("+OK\r\n") }
            return pings.withLock { $0 += 1; return $0 } == 1 ? .now("-LOADING not ready\r\n") : .now("+PONG\r\n")
        }
        let pool = RedisConnectionPool(endpoint: node.endpoint, settings: Self.settings(node), size: 1, group: Self.group)
        let error = await #expect(throws: RedisError.self) { try await pool.send(RedisCommand("GET", ["k"])) }
        #expect(error?.code == .serverError)
        #expect(try await pool.send(RedisCommand("GET", ["k"])) == .simpleString("OK"))
        #expect(node.counts.accepted == 2, "the next command should open a new connection")
        await node.waitUntil { $0.closed >= 1 }
        #expect(node.counts.closed == 1, "the refused connection should be closed, the new one kept")
        pool.shutdown()
        try await node.stop()
    }

    @Test func shutdownClosesAConnectionStillOpening() async throws {
        let node = try await Self.nodeHoldingHandshakes()
        let pool = RedisConnectionPool(endpoint: node.endpoint, settings: Self.settings(node), size: 1, group: Self.group)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                let error = await #expect(throws: RedisError.self) { try await pool.send(RedisCommand("GET", ["k"])) }
                #expect(error?.code == .shutDown)
            }
            await node.waitUntil { $0.received("PING") == 1 }
            pool.shutdown()
            node.release()
            try await tasks.waitForAll()
        }
        // Waits for ever (until the suite's time limit) if the connection that opened after shutdown stays open.
        await node.waitUntil { $0.closed == 1 }
        #expect(node.counts.closed == 1, "the connection that opened after shutdown should be closed")
        #expect(node.counts.accepted == 1)
        #expect(node.counts.received("GET") == 0)
        try await node.stop()
    }
}
