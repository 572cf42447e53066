import Crypto
import Foundation
import Logging
import NIOCore
import NIOPosix
import Reprise
import RepriseTesting
import Testing

@testable import RepriseMemcached

/// Tests against real memcached servers, started by `scripts/services/memcached.sh` (which
/// `scripts/test.sh` runs); skipped, visibly, when `REPRISE_TEST_MEMCACHED_URL` is not set.
@Suite(.enabled(if: MemcachedTestServers.url != nil, "REPRISE_TEST_MEMCACHED_URL is not set; run scripts/test.sh, which starts memcached"))
struct MemcachedCacheStoreTests {
    @Test(arguments: CacheStoreConformance.Check.allCases)
    func conformance(_ check: CacheStoreConformance.Check) async throws {
        try await CacheStoreConformance.run(check) { clock in try MemcachedTestServers.store(clock: clock) }
    }

    @Test func purgeThroughOneReplicaIsSeenByAnother() async throws {
        let prefix = MemcachedTestServers.uniquePrefix()
        let clock = ManualClock()
        let first = try MemcachedTestServers.store(clock: clock, prefix: prefix)
        let second = try MemcachedTestServers.store(clock: clock, prefix: prefix)
        let entry = MemcachedTestServers.entry(clock, namespace: "team.3f9a", model: "gpt-4o")
        try await first.setEntry(entry, for: MemcachedTestServers.key("shared"))
        #expect(try await second.entry(for: MemcachedTestServers.key("shared")) == entry)
        try await second.removeEntries(matching: CachePurgeFilter(namespace: "team", model: "gpt-4o"))
        #expect(try await first.entry(for: MemcachedTestServers.key("shared")) == nil)
    }

    @Test func lostGenerationCounterNeverBringsPurgedEntriesBack() async throws {
        let prefix = MemcachedTestServers.uniquePrefix()
        let clock = ManualClock()
        let store = try MemcachedTestServers.store(clock: clock, prefix: prefix)
        let entry = MemcachedTestServers.entry(clock, namespace: "team", model: "gpt-4o")
        try await store.setEntry(entry, for: MemcachedTestServers.key("stamped"))
        let client = MemcachedClient(
            configuration: try MemcachedConfiguration(url: MemcachedTestServers.url!), eventLoopGroup: MemcachedTestServers.eventLoopGroup)
        defer { client.close() }
        #expect(try await client.delete(MemcachedKeys(prefix: prefix).generation(.model("gpt-4o"))))
        #expect(try await store.entry(for: MemcachedTestServers.key("stamped")) == nil)
        // A new entry gets a fresh counter and is served.
        try await store.setEntry(entry, for: MemcachedTestServers.key("stamped"))
        #expect(try await store.entry(for: MemcachedTestServers.key("stamped")) == entry)
    }

    @Test func entryOverTheItemSizeLimitIsNotStoredAndIsCounted() async throws {
        let clock = ManualClock()
        var configuration = try MemcachedConfiguration(url: MemcachedTestServers.url!)
        configuration.keyPrefix = MemcachedTestServers.uniquePrefix()
        configuration.maximumItemBytes = 64 * 1024
        let store = try MemcachedCacheStore(configuration: configuration, clock: clock, eventLoopGroup: MemcachedTestServers.eventLoopGroup)
        let small = MemcachedTestServers.entry(clock, body: [UInt8](repeating: 1, count: 1000))
        try await store.setEntry(small, for: MemcachedTestServers.key("item"))
        try await store.setEntry(MemcachedTestServers.entry(clock, body: [UInt8](repeating: 2, count: 64 * 1024)), for: MemcachedTestServers.key("item"))
        #expect(try await store.entry(for: MemcachedTestServers.key("item")) == nil, "the older, smaller entry is removed too")
        #expect(try await store.statistics().oversizedEntries == 1)
    }

    @Test func serverThatRefusesAnItemAsTooLargeIsCountedNotFailed() async throws {
        // The servers run with a 2 MiB item limit; the store is told 8 MiB, so the server refuses.
        let clock = ManualClock()
        var configuration = try MemcachedConfiguration(url: MemcachedTestServers.url!)
        configuration.keyPrefix = MemcachedTestServers.uniquePrefix()
        configuration.maximumItemBytes = 8 << 20
        let store = try MemcachedCacheStore(configuration: configuration, clock: clock, eventLoopGroup: MemcachedTestServers.eventLoopGroup)
        try await store.setEntry(MemcachedTestServers.entry(clock, body: [UInt8](repeating: 3, count: 3 << 20)), for: MemcachedTestServers.key("big"))
        #expect(try await store.entry(for: MemcachedTestServers.key("big")) == nil)
        #expect(try await store.statistics().oversizedEntries == 1)
        // The connection is still usable.
        let entry = MemcachedTestServers.entry(clock)
        try await store.setEntry(entry, for: MemcachedTestServers.key("after"))
        #expect(try await store.entry(for: MemcachedTestServers.key("after")) == entry)
    }

    @Test func unreadableValueIsAMissAndIsCounted() async throws {
        let prefix = MemcachedTestServers.uniquePrefix()
        let clock = ManualClock()
        let store = try MemcachedTestServers.store(clock: clock, prefix: prefix)
        let client = MemcachedClient(
            configuration: try MemcachedConfiguration(url: MemcachedTestServers.url!), eventLoopGroup: MemcachedTestServers.eventLoopGroup)
        defer { client.close() }
        let dataKey = MemcachedKeys(prefix: prefix).entry(MemcachedTestServers.key("garbage"))
        _ = try await client.set(dataKey, value: ByteBuffer(string: "RPMG not really"), timeToLiveSeconds: 60, flags: 1)
        #expect(try await store.entry(for: MemcachedTestServers.key("garbage")) == nil)
        #expect(try await store.statistics().unreadableEntries == 1)
        #expect(try await client.get(dataKey) == nil, "the unreadable value is deleted")
    }

    @Test func keysAreSpreadOverEveryServer() async throws {
        let configuration = try MemcachedConfiguration(url: MemcachedTestServers.url!)
        try #require(configuration.servers.count >= 2, "the test script starts several servers")
        let client = MemcachedClient(configuration: configuration, eventLoopGroup: MemcachedTestServers.eventLoopGroup)
        defer { client.close() }
        let used = Set((0..<200).map { client.serverIndex(for: "reprise:e:\($0)") })
        #expect(used.count == configuration.servers.count)
    }
}

@Suite struct MemcachedUnreachableTests {
    @Test func unreachableServerIsAStoreErrorNamingIt() async throws {
        // Port 1 on loopback: nothing listens there.
        let store = try MemcachedCacheStore(configuration: MemcachedConfiguration(servers: [MemcachedServer(host: "127.0.0.1", port: 1)]), clock: ManualClock())
        await #expect {
            _ = try await store.entry(for: MemcachedTestServers.key("any"))
        } throws: { error in
            (error as? CacheStoreError)?.kind == "unavailable" && "\(error)".contains("127.0.0.1:1")
        }
    }
}

enum MemcachedTestServers {
    static let url = ProcessInfo.processInfo.environment["REPRISE_TEST_MEMCACHED_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// The tests' own event loop: other suites in the same process block the shared loops at times (a
    /// blocking host name lookup when binding "localhost"), which would time out connects here.
    static let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    static func uniquePrefix() -> String { "t" + UUID().uuidString.prefix(8).lowercased() + ":" }

    /// A store on the test servers, with a key prefix of its own so tests running at once never meet.
    static func store(clock: ManualClock, prefix: String = uniquePrefix()) throws -> MemcachedCacheStore<ManualClock> {
        var configuration = try MemcachedConfiguration(url: url!)
        configuration.keyPrefix = prefix
        configuration.maximumItemBytes = 2 << 20
        return try MemcachedCacheStore(configuration: configuration, clock: clock, eventLoopGroup: eventLoopGroup)
    }

    static func key(_ name: String) -> CacheKey {
        CacheKeyBuilder().key(namespace: "memcached-tests", route: "/test", body: .string(name))
    }

    static func entry(
        _ clock: ManualClock, body: [UInt8] = Array("answer".utf8), namespace: String = "tenant", model: String = "gpt-4o"
    ) -> CacheEntry {
        CacheEntry(body: body, model: model, namespace: namespace, route: "/v1/chat/completions", createdAt: clock.now, timeToLive: .seconds(300))
    }
}

@Suite(.enabled(if: MemcachedTestServers.url != nil, "REPRISE_TEST_MEMCACHED_URL is not set; run scripts/test.sh, which starts memcached"))
struct TieredMemcachedConformanceTests {
    @Test(arguments: CacheStoreConformance.Check.allCases)
    func conformance(_ check: CacheStoreConformance.Check) async throws {
        try await CacheStoreConformance.run(check) { clock in
            TieredCacheStore(shared: try MemcachedTestServers.store(clock: clock), memoryTimeToLive: .seconds(5), clock: clock)
        }
    }

    @Test(arguments: CacheStoreConformance.Check.allCases)
    func sealedConformance(_ check: CacheStoreConformance.Check) async throws {
        try await CacheStoreConformance.run(check) { clock in
            SealedCacheStore(wrapping: try MemcachedTestServers.store(clock: clock), key: SymmetricKey(size: .bits256))
        }
    }
}
