import Logging
import NIOCore
import NIOPosix
import Reprise
import RepriseTesting
import Testing

@testable import RepriseRedis

@Suite(.enabled(if: RedisTestServers.clusterURL != nil, RedisTestServers.clusterMissing))
struct RedisClusterTests {
    let closer = StoreCloser()

    @Test(arguments: CacheStoreConformance.Check.allCases)
    func conformance(_ check: CacheStoreConformance.Check) async throws {
        let closer = self.closer
        try await CacheStoreConformance.run(check) { clock in
            closer.track(try RedisCacheStore(configuration: RedisTestServers.configuration(RedisTestServers.clusterURL), clock: clock))
        }
    }

    private func loadedClient(_ configuration: RedisConfiguration) async throws -> RedisClusterClient {
        let client = RedisClusterClient(configuration: configuration)
        _ = closer.track(client)
        try await client.reloadMap(force: true)
        return client
    }

    private func direct(_ endpoint: RedisEndpoint, _ configuration: RedisConfiguration) -> any RedisClient {
        closer.track(RedisStandaloneClient(endpoint: endpoint, configuration: configuration))
    }

    /// A key whose slot `owner` serves, found by trying hash tags.
    private func keyInSlot(ownedBy owner: RedisEndpoint, in client: RedisClusterClient, _ name: String) -> (key: String, slot: Int) {
        for tag in 0..<10_000 {
            let key = "{t\(tag)}\(name)"
            let slot = RedisHashSlot.slot(for: key)
            if client.primary(cached: slot) == owner { return (key, slot) }
        }
        Issue.record("no tag found whose slot \(owner) serves")
        return ("", 0)
    }

    @Test func everySlotIsServedByOneOfThreePrimaries() async throws {
        let client = try await loadedClient(RedisTestServers.configuration(RedisTestServers.clusterURL))
        let owners = Set((0..<RedisHashSlot.count).compactMap { client.primary(cached: $0) })
        #expect(owners.count == 3)
    }

    /// A client whose map sends every slot to the first node follows MOVED to the right one and learns it.
    @Test func staleMapFollowsMoved() async throws {
        let configuration = try RedisTestServers.configuration(RedisTestServers.clusterURL)
        guard case .cluster(let seeds) = configuration.topology else {
            Issue.record("REPRISE_TEST_REDIS_CLUSTER_URL must name a cluster, not \(configuration.topology)")
            return
        }
        let truth = try await loadedClient(configuration)
        let wrongNode = seeds[0]
        var stale = RedisClusterSlotMap()
        stale.assign(0...(RedisHashSlot.count - 1), to: wrongNode)
        let client = RedisClusterClient(configuration: configuration, initialMap: stale, logger: Logger(label: "test"),
                                        group: MultiThreadedEventLoopGroup.singleton)
        _ = closer.track(client)
        let owner = try #require(Set(seeds).subtracting([wrongNode]).first { node in
            (0..<RedisHashSlot.count).contains { truth.primary(cached: $0) == node }
        })
        let (key, slot) = keyInSlot(ownedBy: owner, in: truth, "moved")
        try await client.execute("SET", key: configuration.keyPrefix + key, ["followed", "PX", 60_000])
        let stored = try await direct(owner, configuration).send(RedisCommand("GET", [RedisArgument(configuration.keyPrefix + key)]), routingKey: [])
        #expect(stored.string == "followed", "the value should be on the slot's real owner \(owner)")
        try await client.reloadMap(force: false)
        #expect(client.primary(cached: slot) == owner, "after MOVED the client should know the slot's owner")
    }

    /// While a slot migrates, a key missing on the source is answered with ASK; the client retries on the
    /// target with ASKING, and the map keeps the source as owner.
    @Test func migratingSlotFollowsAsk() async throws {
        let configuration = try RedisTestServers.configuration(RedisTestServers.clusterURL)
        guard case .cluster(let seeds) = configuration.topology else {
            Issue.record("REPRISE_TEST_REDIS_CLUSTER_URL must name a cluster, not \(configuration.topology)")
            return
        }
        let client = try await loadedClient(configuration)
        let source = try #require(client.primary(cached: 0))
        let target = try #require(seeds.first { $0 != source })
        let sourceClient = direct(source, configuration)
        let targetClient = direct(target, configuration)
        let sourceID = try #require(try await sourceClient.send(RedisCommand("CLUSTER", ["MYID"]), routingKey: []).string)
        let targetID = try #require(try await targetClient.send(RedisCommand("CLUSTER", ["MYID"]), routingKey: []).string)
        let (name, slot) = keyInSlot(ownedBy: source, in: client, "asked")
        let key = configuration.keyPrefix + name
        _ = try await targetClient.send(RedisCommand("CLUSTER", ["SETSLOT", RedisArgument(slot), "IMPORTING", RedisArgument(sourceID)]), routingKey: [])
        _ = try await sourceClient.send(RedisCommand("CLUSTER", ["SETSLOT", RedisArgument(slot), "MIGRATING", RedisArgument(targetID)]), routingKey: [])
        do {
            try await client.execute("SET", key: key, ["on-target", "PX", 60_000])
            let onTarget = try await targetClient.send([RedisCommand("ASKING"), RedisCommand("GET", [RedisArgument(key)])], routingKey: [])
            #expect(onTarget.last?.string == "on-target", "the key should have been written on the importing node")
            #expect(client.primary(cached: slot) == source, "ASK must not change the slot map")
            _ = try await targetClient.send([RedisCommand("ASKING"), RedisCommand("DEL", [RedisArgument(key)])], routingKey: [])
        } catch {
            Issue.record(error)
        }
        _ = try await targetClient.send(RedisCommand("CLUSTER", ["SETSLOT", RedisArgument(slot), "STABLE"]), routingKey: [])
        _ = try await sourceClient.send(RedisCommand("CLUSTER", ["SETSLOT", RedisArgument(slot), "STABLE"]), routingKey: [])
    }
}
