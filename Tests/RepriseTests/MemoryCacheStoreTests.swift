import Reprise
import RepriseTesting
import Testing

@Suite struct MemoryCacheStoreTests {
    @Test(arguments: CacheStoreConformance.Check.allCases)
    func conformance(_ check: CacheStoreConformance.Check) async throws {
        try await CacheStoreConformance.run(check) { clock in MemoryCacheStore(clock: clock) }
    }

    let clock = ManualClock()

    private func key(_ name: String) -> CacheKey {
        CacheKeyBuilder().key(namespace: "tests", route: "/lru", body: .string(name))
    }

    private func entry(bodySize: Int, timeToLive: Duration = .seconds(300)) -> CacheEntry {
        CacheEntry(
            body: [UInt8](repeating: 0x61, count: bodySize), model: "gpt-4o", namespace: "tenant",
            route: "/v1/chat/completions", createdAt: clock.now, timeToLive: timeToLive)
    }

    /// What the store counts for one entry: the entry's approximate size plus its 64-byte hex key.
    private func footprint(_ entry: CacheEntry) -> Int { entry.approximateSize + 64 }

    @Test func bytesNeverExceedTheCapacity() async throws {
        let capacity = 10_000
        let store = MemoryCacheStore(capacityBytes: capacity, clock: clock)
        for index in 0..<60 {
            let stored = entry(bodySize: 100 + (index * 379) % 2_000)
            try await store.setEntry(stored, for: key("entry-\(index)"))
            let statistics = try await store.statistics()
            #expect(statistics.bytes <= capacity, "after entry \(index)")
            #expect(statistics.capacityBytes == capacity)
            // The entry just stored is always kept: eviction makes room for it.
            #expect(try await store.entry(for: key("entry-\(index)")) == stored)
        }
    }

    @Test func bytesAreTheSumOfTheEntriesHeld() async throws {
        let store = MemoryCacheStore(capacityBytes: 1_000_000, clock: clock)
        let small = entry(bodySize: 10)
        let large = entry(bodySize: 5_000)
        try await store.setEntry(small, for: key("a"))
        try await store.setEntry(large, for: key("b"))
        #expect(try await store.statistics().bytes == footprint(small) + footprint(large))
        try await store.setEntry(small, for: key("b"))
        #expect(try await store.statistics().bytes == 2 * footprint(small))
        try await store.removeEntry(for: key("a"))
        #expect(try await store.statistics().bytes == footprint(small))
    }

    @Test func leastRecentlyUsedEntryIsEvictedFirst() async throws {
        let sample = entry(bodySize: 1_000)
        let store = MemoryCacheStore(capacityBytes: 3 * footprint(sample), clock: clock)
        for name in ["a", "b", "c"] { try await store.setEntry(sample, for: key(name)) }

        // Reading `a` makes `b` the least recently used.
        #expect(try await store.entry(for: key("a")) != nil)
        try await store.setEntry(sample, for: key("d"))
        #expect(try await store.entry(for: key("b")) == nil)

        // Now `c` is the oldest untouched entry: a, d were used after it.
        try await store.setEntry(sample, for: key("e"))
        #expect(try await store.entry(for: key("c")) == nil)
        for name in ["a", "d", "e"] {
            #expect(try await store.entry(for: key(name)) != nil, "entry \(name) should have survived")
        }
    }

    @Test func replacingAnEntryCountsAsUsingIt() async throws {
        let sample = entry(bodySize: 1_000)
        let store = MemoryCacheStore(capacityBytes: 3 * footprint(sample), clock: clock)
        for name in ["a", "b", "c"] { try await store.setEntry(sample, for: key(name)) }
        try await store.setEntry(sample, for: key("a"))
        try await store.setEntry(sample, for: key("d"))
        #expect(try await store.entry(for: key("b")) == nil)
        #expect(try await store.entry(for: key("a")) != nil)
    }

    @Test func evictionsAreCountedInStatistics() async throws {
        let sample = entry(bodySize: 1_000)
        let store = MemoryCacheStore(capacityBytes: 2 * footprint(sample), clock: clock)
        for index in 0..<5 { try await store.setEntry(sample, for: key("entry-\(index)")) }
        let statistics = try await store.statistics()
        #expect(statistics.evictions == 3)
        #expect(statistics.entries == 2)
        #expect(statistics.expirations == 0)
    }

    @Test func entryLargerThanTheCapacityIsNotStoredAndEvictsNothing() async throws {
        let small = entry(bodySize: 100)
        let store = MemoryCacheStore(capacityBytes: 2_000, clock: clock)
        try await store.setEntry(small, for: key("small"))
        try await store.setEntry(entry(bodySize: 5_000), for: key("huge"))
        #expect(try await store.entry(for: key("huge")) == nil)
        #expect(try await store.entry(for: key("small")) == small)
        let statistics = try await store.statistics()
        #expect(statistics.entries == 1)
        #expect(statistics.bytes == footprint(small))
        #expect(statistics.evictions == 0)
    }

    @Test func entryThatExactlyFillsTheCapacityIsStored() async throws {
        let exact = entry(bodySize: 1_000)
        let store = MemoryCacheStore(capacityBytes: footprint(exact), clock: clock)
        try await store.setEntry(exact, for: key("exact"))
        #expect(try await store.entry(for: key("exact")) == exact)
    }

    @Test func removeExpiredEntriesSweepsOnlyExpiredOnes() async throws {
        let store = MemoryCacheStore(capacityBytes: 1_000_000, clock: clock)
        let lasting = entry(bodySize: 10, timeToLive: .seconds(60))
        try await store.setEntry(entry(bodySize: 10, timeToLive: .seconds(10)), for: key("short-1"))
        try await store.setEntry(entry(bodySize: 10, timeToLive: .seconds(10)), for: key("short-2"))
        try await store.setEntry(lasting, for: key("lasting"))

        clock.advance(by: .seconds(9))
        #expect(store.removeExpiredEntries() == 0)
        clock.advance(by: .seconds(1))
        #expect(store.removeExpiredEntries() == 2)

        let statistics = try await store.statistics()
        #expect(statistics.entries == 1)
        #expect(statistics.expirations == 2)
        #expect(statistics.bytes == footprint(lasting))
        #expect(try await store.entry(for: key("lasting")) == lasting)
    }

    @Test func readingAnExpiredEntryDropsItAndCountsAnExpiration() async throws {
        let store = MemoryCacheStore(capacityBytes: 1_000_000, clock: clock)
        try await store.setEntry(entry(bodySize: 10, timeToLive: .seconds(5)), for: key("brief"))
        clock.advance(by: .seconds(5))
        #expect(try await store.entry(for: key("brief")) == nil)
        let statistics = try await store.statistics()
        #expect(statistics.entries == 0)
        #expect(statistics.bytes == 0)
        #expect(statistics.expirations == 1)
    }

    @Test func entryAlreadyExpiredWhenStoredIsNotStored() async throws {
        let store = MemoryCacheStore(capacityBytes: 1_000_000, clock: clock)
        let stale = CacheEntry(
            body: [1, 2, 3], model: "gpt-4o", namespace: "tenant", route: "/v1/chat/completions",
            createdAt: clock.now.advanced(by: .seconds(-120)), timeToLive: .seconds(60))
        try await store.setEntry(stale, for: key("stale"))
        #expect(try await store.statistics().entries == 0)
    }
}
