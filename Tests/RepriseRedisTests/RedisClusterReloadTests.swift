import Logging
import NIOCore
import NIOPosix
import Testing

@testable import RepriseRedis

/// The slot-map reload of a cluster client, against fake nodes: the client's stale map sends every slot to
/// node A, which answers `MOVED` to node B; the seed node C serves the map, holding its `CLUSTER SHARDS`
/// answer until the test releases it, so that the reload is under way while the burst of commands meets
/// its redirects.
@Suite(.timeLimit(.minutes(1))) struct RedisClusterReloadTests {
    /// Its own event loop, so that other suites blocking the shared ones (a host name lookup) do not delay it.
    private static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    private static func slotsReply(everySlotTo node: RedisEndpoint) -> String {
        "*1\r\n*3\r\n:0\r\n:\(RedisHashSlot.count - 1)\r\n*2\r\n$\(node.host.utf8.count)\r\n\(node.host)\r\n:\(node.port)\r\n"
    }

    @Test func aBurstOfRedirectsSharesOneReload() async throws {
        let b = try await FakeRedisNode.start { command in command.first == "GET" ? .now("$6\r\nfrom-b\r\n") : .now("+PONG\r\n") }
        let a = try await FakeRedisNode.start { command in
            command.first == "GET" ? .now("-MOVED \(RedisHashSlot.slot(for: command.last ?? "")) \(b.endpoint)\r\n") : .now("+PONG\r\n")
        }
        let c = try await FakeRedisNode.start { command in
            switch command {
            // A server without CLUSTER SHARDS: the client falls back to CLUSTER SLOTS.
            case ["CLUSTER", "SHARDS"]: .held("-ERR unknown subcommand 'SHARDS'\r\n")
            case ["CLUSTER", "SLOTS"]: .now(Self.slotsReply(everySlotTo: b.endpoint))
            default: .now("+PONG\r\n")
            }
        }
        var stale = RedisClusterSlotMap()
        stale.assign(0...(RedisHashSlot.count - 1), to: a.endpoint)
        let configuration = RedisConfiguration(
            topology: .cluster(seeds: [c.endpoint]), connectionsPerNode: 1, connectTimeout: .seconds(60), commandTimeout: .seconds(60))
        let client = RedisClusterClient(configuration: configuration, initialMap: stale, logger: Logger(label: "test"),
                                        group: Self.group)
        defer { client.shutdown() }
        let keys = (0..<10).map { "key-\($0)" }
        try #require(Set(keys.map { RedisHashSlot.slot(for: $0) }).count == keys.count, "each key should meet its own MOVED")

        let replies = try await withThrowingTaskGroup(of: String?.self) { tasks in
            for key in keys {
                tasks.addTask { try await client.send(RedisCommand("GET", [RedisArgument(key)]), routingKey: Array(key.utf8)).string }
            }
            return try await tasks.reduce(into: []) { $0.append($1) }
        }
        #expect(replies == Array(repeating: "from-b", count: keys.count), "every command should follow its MOVED to B")
        #expect(a.counts.received("GET") == keys.count)
        // A command sent to C after the burst arrives after every reload the burst started (one connection to C,
        // commands in order), so once C has it, C has seen every CLUSTER SHARDS it will see.
        let marker = try client.pool(for: c.endpoint).submit(RedisCommand("ECHO", ["after the burst"]))
        await c.waitUntil { $0.received("ECHO") == 1 }
        #expect(c.counts.received("CLUSTER", "SHARDS") == 1, "the redirects of one burst should share one reload")

        c.release()
        _ = try await marker.get()
        // Joins the reload under way, or finds the map it loaded complete.
        try await client.reloadMap(force: false)
        #expect(client.primary(cached: 0) == b.endpoint, "the reloaded map should send every slot to B")
        // The finished reload cleared itself: the next one asks C again.
        try await client.reloadMap(force: true)
        #expect(c.counts.received("CLUSTER", "SHARDS") == 2)
        #expect(c.counts.received("CLUSTER", "SLOTS") == 2)
        for node in [a, b, c] { try await node.stop() }
    }
}
