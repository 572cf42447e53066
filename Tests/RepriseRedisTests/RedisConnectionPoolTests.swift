import NIOCore
import NIOPosix
import Testing

@testable import RepriseRedis

/// The pool's slots are shared out among the event loops, so a caller on a loop uses that loop's
/// connections; callers elsewhere, and pools smaller than the group, go round-robin over every slot.
@Suite struct RedisConnectionPoolTests {
    static let endpoint = RedisEndpoint(host: "127.0.0.1", port: 1)

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
}
