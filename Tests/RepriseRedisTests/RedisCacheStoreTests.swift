import Logging
import NIOCore
import NIOPosix
import Reprise
import RepriseTesting
import Testing

@testable import RepriseRedis

@Suite(.enabled(if: RedisTestServers.standaloneURL != nil, RedisTestServers.standaloneMissing))
struct RedisCacheStoreTests {
    let closer = StoreCloser()

    @Test(arguments: CacheStoreConformance.Check.allCases)
    func conformance(_ check: CacheStoreConformance.Check) async throws {
        let closer = self.closer
        try await CacheStoreConformance.run(check) { clock in
            closer.track(try RedisCacheStore(configuration: RedisTestServers.configuration(RedisTestServers.standaloneURL), clock: clock))
        }
    }

    @Test func databasesAreIsolated() async throws {
        let clock = ManualClock()
        var first = try RedisTestServers.configuration(RedisTestServers.standaloneURL! + "/1")
        var second = first
        second.database = 2
        first.database = 1
        let one = closer.track(try RedisCacheStore(configuration: first, clock: clock))
        let two = closer.track(try RedisCacheStore(configuration: second, clock: clock))
        let key = RedisTestServers.key("isolated")
        try await one.setEntry(RedisTestServers.entry(clock, body: "in db 1"), for: key)
        #expect(try await one.entry(for: key)?.body == Array("in db 1".utf8))
        #expect(try await two.entry(for: key) == nil, "database 2 must not see an entry stored in database 1")
        #expect(try await two.statistics().entries == 0)
        #expect(try await one.statistics().entries == 1)
    }

    @Test func oversizedEntriesAreNotStoredAndCounted() async throws {
        let clock = ManualClock()
        var configuration = try RedisTestServers.configuration(RedisTestServers.standaloneURL)
        configuration.maximumEntryBytes = 1_000
        let store = closer.track(try RedisCacheStore(configuration: configuration, clock: clock))
        try await store.setEntry(RedisTestServers.entry(clock, body: String(repeating: "x", count: 2_000)), for: RedisTestServers.key("big"))
        try await store.setEntry(RedisTestServers.entry(clock, body: "small"), for: RedisTestServers.key("small"))
        #expect(try await store.entry(for: RedisTestServers.key("big")) == nil)
        #expect(try await store.entry(for: RedisTestServers.key("small"))?.body == Array("small".utf8))
        #expect(store.oversizedEntries == 1)
        #expect(try await store.statistics().entries == 1)
    }

    /// A replaced entry stays listed under its old namespace and model; purges must not take it.
    @Test func staleIndexMembersDoNotMisleadPurges() async throws {
        let clock = ManualClock()
        let store = closer.track(try RedisCacheStore(configuration: RedisTestServers.configuration(RedisTestServers.standaloneURL), clock: clock))
        let key = RedisTestServers.key("moving")
        try await store.setEntry(RedisTestServers.entry(clock, model: "gpt-4o", namespace: "team.a"), for: key)
        let replacement = RedisTestServers.entry(clock, body: "replaced", model: "claude", namespace: "other")
        try await store.setEntry(replacement, for: key)
        #expect(try await store.removeEntries(matching: CachePurgeFilter(namespace: "team")) == 0)
        #expect(try await store.removeEntries(matching: CachePurgeFilter(model: "gpt-4o")) == 0)
        #expect(try await store.entry(for: key) == replacement)
        #expect(try await store.removeEntries(matching: CachePurgeFilter(namespace: "other", model: "claude")) == 1)
        #expect(try await store.entry(for: key) == nil)
    }

    @Test func entriesExpireInRedisAtTheEndOfTheirRetention() async throws {
        let clock = ManualClock()
        let store = closer.track(try RedisCacheStore(configuration: RedisTestServers.configuration(RedisTestServers.standaloneURL), clock: clock))
        var entry = RedisTestServers.entry(clock)
        entry.timeToLive = .seconds(60)
        entry.staleRetention = .seconds(30)
        let key = RedisTestServers.key("expiring")
        try await store.setEntry(entry, for: key)
        let ttl = try await store.redisClient.execute("PTTL", key: store.keyLayout.entryKey(key)).integer ?? -1
        #expect((75_000...90_000).contains(ttl), "Redis should drop the entry 90 s (TTL + retention) after it was stored, PTTL was \(ttl)")
    }

    @Test func unreadableRecordsAreMisses() async throws {
        let clock = ManualClock()
        let store = closer.track(try RedisCacheStore(configuration: RedisTestServers.configuration(RedisTestServers.standaloneURL), clock: clock))
        let key = RedisTestServers.key("garbage")
        try await store.redisClient.execute("HSET", key: store.keyLayout.entryKey(key), ["d", "not a record"])
        #expect(try await store.entry(for: key) == nil)
    }

    /// 1,000 GETs in flight at once on one connection each get their own key's value.
    @Test func pipelinedCommandsAreAnsweredInOrder() async throws {
        var configuration = try RedisTestServers.configuration(RedisTestServers.standaloneURL)
        configuration.connectionsPerNode = 1
        guard case .standalone(let endpoint) = configuration.topology else {
            Issue.record("REPRISE_TEST_REDIS_URL must name a standalone server, not \(configuration.topology)")
            return
        }
        let pool = RedisConnectionPool(endpoint: endpoint, settings: RedisConnectionSettings(configuration), size: 1,
                                       group: MultiThreadedEventLoopGroup.singleton)
        defer { pool.shutdown() }
        let prefix = configuration.keyPrefix
        let sets = (0..<1_000).map { RedisCommand("SET", [RedisArgument("\(prefix)k\($0)"), RedisArgument("value-\($0)"), "PX", 60_000]) }
        let replies = try await pool.send(sets)
        #expect(replies.allSatisfy { $0 == .simpleString("OK") })
        let connection = try await pool.connection()
        let wrong = try await withThrowingTaskGroup(of: Int?.self) { group in
            for index in 0..<1_000 {
                group.addTask {
                    let reply = try await connection.send(RedisCommand("GET", [RedisArgument("\(prefix)k\(index)")]))
                    return reply.string == "value-\(index)" ? nil : index
                }
            }
            return try await group.reduce(into: [Int]()) { if let index = $1 { $0.append(index) } }
        }
        #expect(wrong.isEmpty, "GETs answered with another key's value: \(wrong.prefix(10))")
        #expect(try await pool.connection() === connection, "the pool of one should still use the same connection")
    }
}

@Suite(.enabled(if: RedisTestServers.authURL != nil && RedisTestServers.aclURL != nil, RedisTestServers.authMissing))
struct RedisAuthenticationTests {
    let closer = StoreCloser()

    private func roundTrip(_ configuration: RedisConfiguration) async throws {
        let clock = ManualClock()
        let store = closer.track(try RedisCacheStore(configuration: configuration, clock: clock))
        let entry = RedisTestServers.entry(clock)
        try await store.setEntry(entry, for: RedisTestServers.key("auth"))
        #expect(try await store.entry(for: RedisTestServers.key("auth")) == entry)
    }

    @Test func passwordAndACLUserAreAccepted() async throws {
        try await roundTrip(RedisTestServers.configuration(RedisTestServers.authURL))
        try await roundTrip(RedisTestServers.configuration(RedisTestServers.aclURL))
    }

    @Test func wrongPasswordIsAClearError() async throws {
        for var configuration in [try RedisTestServers.configuration(RedisTestServers.authURL), try RedisTestServers.configuration(RedisTestServers.aclURL)] {
            configuration.password = "wrong-password"
            let store = closer.track(try RedisCacheStore(configuration: configuration, clock: ManualClock()))
            let error = await #expect(throws: RedisError.self) { try await store.entry(for: RedisTestServers.key("auth")) }
            #expect(error?.code == .authenticationFailed)
            #expect(error?.message.contains("refused the credentials") == true)
            #expect(error?.message.contains("wrong-password") == false, "the error must not quote the password")
        }
    }

    @Test func missingPasswordIsRefusedByTheServer() async throws {
        var configuration = try RedisTestServers.configuration(RedisTestServers.authURL)
        configuration.password = nil
        let store = closer.track(try RedisCacheStore(configuration: configuration, clock: ManualClock()))
        let error = await #expect(throws: RedisError.self) { try await store.entry(for: RedisTestServers.key("auth")) }
        #expect(error?.message.contains("NOAUTH") == true)
    }
}

@Suite(.enabled(if: RedisTestServers.serverBinary != nil, RedisTestServers.binaryMissing))
struct RedisRestartTests {
    @Test func operationsFailWhileTheServerIsDownAndRecoverAfterItsRestart() async throws {
        let server = try await OwnedRedisServer(binary: RedisTestServers.serverBinary!)
        try await server.start()
        let clock = ManualClock()
        var configuration = try RedisTestServers.configuration("redis://127.0.0.1:\(server.port)")
        // Generous: a refused connection fails at once anyway, and a loaded test machine is slow.
        configuration.connectTimeout = .seconds(3)
        configuration.commandTimeout = .seconds(5)
        let store = try RedisCacheStore(configuration: configuration, clock: clock)
        defer { store.shutdown() }
        let key = RedisTestServers.key("restart")
        let entry = RedisTestServers.entry(clock)
        try await store.setEntry(entry, for: key)
        #expect(try await store.entry(for: key) == entry)

        await server.kill()
        for attempt in 0..<3 {
            let error = await #expect(throws: RedisError.self, "attempt \(attempt) while the server is down") {
                try await store.entry(for: key)
            }
            #expect(error?.code == .connectionFailed || error?.code == .connectionClosed)
        }

        try await server.start()
        try await store.setEntry(entry, for: key)
        #expect(try await store.entry(for: key) == entry, "the same store should work again after the restart")
    }
}
