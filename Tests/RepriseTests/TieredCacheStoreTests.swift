import Reprise
import RepriseTesting
import Testing

@Suite struct TieredCacheStoreTests {
    @Test(arguments: CacheStoreConformance.Check.allCases)
    func conformance(_ check: CacheStoreConformance.Check) async throws {
        try await CacheStoreConformance.run(check) { clock in
            TieredCacheStore(shared: MemoryCacheStore(clock: clock), memoryTimeToLive: .seconds(5), clock: clock)
        }
    }

    @Test func memoryCopyAnswersWithoutTheSharedStoreButNeverPastTheEntrysExpiry() async throws {
        let clock = ManualClock()
        let shared = CountingStore(MemoryCacheStore(clock: clock))
        let tiered = TieredCacheStore(shared: shared, memoryTimeToLive: .seconds(30), clock: clock)
        let entry = Self.entry(clock, timeToLive: .seconds(20))
        try await tiered.setEntry(entry, for: Self.key)
        #expect(try await tiered.entry(for: Self.key) == entry)
        #expect(shared.reads == 0, "answered from memory")
        clock.advance(by: .seconds(20))
        #expect(try await tiered.entry(for: Self.key) == nil)
    }

    @Test func memoryCopyIsTrustedOnlyForTheMemoryTimeToLive() async throws {
        let clock = ManualClock()
        let shared = CountingStore(MemoryCacheStore(clock: clock))
        let tiered = TieredCacheStore(shared: shared, memoryTimeToLive: .seconds(5), clock: clock)
        let entry = Self.entry(clock, timeToLive: .seconds(300))
        try await tiered.setEntry(entry, for: Self.key)
        // Another replica purges the shared store directly.
        try await shared.removeEntries(matching: .everything)
        #expect(try await tiered.entry(for: Self.key) == entry, "the memory copy is still trusted")
        clock.advance(by: .seconds(5))
        #expect(try await tiered.entry(for: Self.key) == nil, "after the memory TTL the shared store is asked, and it was purged")
        #expect(shared.reads == 1)
    }

    @Test func purgeReachesBothTiers() async throws {
        let clock = ManualClock()
        let shared = MemoryCacheStore(clock: clock)
        let tiered = TieredCacheStore(shared: shared, memoryTimeToLive: .seconds(60), clock: clock)
        try await tiered.setEntry(Self.entry(clock, timeToLive: .seconds(300)), for: Self.key)
        #expect(try await tiered.removeEntries(matching: CachePurgeFilter(namespace: "tenant")) == 1)
        #expect(try await tiered.entry(for: Self.key) == nil)
        #expect(try await shared.entry(for: Self.key) == nil)
    }

    @Test func sharedFailureStillLetsMemoryHitsThrough() async throws {
        let clock = ManualClock()
        let shared = CountingStore(MemoryCacheStore(clock: clock))
        let tiered = TieredCacheStore(shared: shared, memoryTimeToLive: .seconds(60), clock: clock)
        let entry = Self.entry(clock, timeToLive: .seconds(300))
        try await tiered.setEntry(entry, for: Self.key)
        shared.failing = true
        #expect(try await tiered.entry(for: Self.key) == entry)
        await #expect(throws: CacheStoreError.self) { try await tiered.entry(for: CacheKeyBuilder().key(namespace: "x", route: "/r", body: .null)) }
    }

    static let key = CacheKeyBuilder().key(namespace: "tenant", route: "/v1/chat/completions", body: .string("tiered"))

    static func entry(_ clock: ManualClock, timeToLive: Duration) -> CacheEntry {
        CacheEntry(
            body: Array("answer".utf8), model: "gpt-4o", namespace: "tenant", route: "/v1/chat/completions", createdAt: clock.now,
            timeToLive: timeToLive)
    }
}

/// A store that counts reads of the store it wraps and can be told to fail.
final class CountingStore: CacheStore, @unchecked Sendable {
    private let store: any CacheStore
    private(set) var reads = 0
    var failing = false

    init(_ store: any CacheStore) { self.store = store }

    func entry(for key: CacheKey, allowingStaleness staleness: Duration) async throws -> CacheEntry? {
        if failing { throw CacheStoreError.unavailable("test", reason: "told to fail") }
        reads += 1
        return try await store.entry(for: key, allowingStaleness: staleness)
    }
    func setEntry(_ entry: CacheEntry, for key: CacheKey) async throws { try await store.setEntry(entry, for: key) }
    func removeEntry(for key: CacheKey) async throws -> Bool { try await store.removeEntry(for: key) }
    func removeEntries(matching filter: CachePurgeFilter) async throws -> Int { try await store.removeEntries(matching: filter) }
    func statistics() async throws -> CacheStoreStatistics { try await store.statistics() }
}
