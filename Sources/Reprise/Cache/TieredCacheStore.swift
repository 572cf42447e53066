/// A memory tier in front of a shared store (memcached, Redis): hot entries are answered from this
/// process's memory without a network round trip, everything else from the shared store.
///
/// - A read tries memory, then the shared store; a fresh entry found there is copied into memory.
/// - The memory copy expires at the entry's own expiry or ``memoryTimeToLive`` after it was copied,
///   whichever comes first: it never outlives the entry, and a purge made through another replica reaches
///   this one's memory within ``memoryTimeToLive``. Stale entries (stale-if-error) are only read from the
///   shared store.
/// - Writes, removals and purges go to both tiers; purges report the shared store's count.
///
/// Wrap the shared store in the gateway's resilience wrapper *before* tiering it, so memory hits go on
/// while the shared store is down.
public final class TieredCacheStore<C: EpochClock>: ExpiringCacheStore {
    /// The default time a memory copy is trusted: 10 seconds.
    public static var defaultMemoryTimeToLive: Duration { .seconds(10) }

    private let memory: MemoryCacheStore<C>
    private let shared: any CacheStore
    private let clock: C
    /// The longest a memory copy is served before the shared store is asked again.
    public let memoryTimeToLive: Duration

    public init(
        shared: any CacheStore, memoryCapacityBytes: Int = 64 * 1024 * 1024,
        memoryTimeToLive: Duration = TieredCacheStore.defaultMemoryTimeToLive, clock: C
    ) {
        self.memory = MemoryCacheStore(capacityBytes: memoryCapacityBytes, clock: clock)
        self.shared = shared
        self.clock = clock
        self.memoryTimeToLive = memoryTimeToLive
    }

    public var countsEntriesExactly: Bool { shared.countsEntriesExactly }

    /// - Complexity: O(1) on a memory hit; otherwise one read of the shared store.
    public func entry(for key: CacheKey, allowingStaleness staleness: Duration) async throws -> CacheEntry? {
        if let carrier = try await memory.entry(for: key), let entry = try? CacheEntry(serialized: carrier.body) {
            return entry
        }
        guard let entry = try await shared.entry(for: key, allowingStaleness: staleness) else { return nil }
        if entry.isFresh(at: clock.now) { try await copyToMemory(entry, for: key) }
        return entry
    }

    public func setEntry(_ entry: CacheEntry, for key: CacheKey) async throws {
        try await copyToMemory(entry, for: key)
        try await shared.setEntry(entry, for: key)
    }

    @discardableResult
    public func removeEntry(for key: CacheKey) async throws -> Bool {
        let inMemory = try await memory.removeEntry(for: key)
        return try await shared.removeEntry(for: key) || inMemory
    }

    @discardableResult
    public func removeEntries(matching filter: CachePurgeFilter) async throws -> Int {
        try await memory.removeEntries(matching: filter)
        return try await shared.removeEntries(matching: filter)
    }

    /// The shared store's statistics: it holds every entry, the memory tier only copies of some.
    public func statistics() async throws -> CacheStoreStatistics {
        try await shared.statistics()
    }

    /// Sweeps expired copies out of the memory tier.
    @discardableResult
    public func removeExpiredEntries() async throws -> Int {
        memory.removeExpiredEntries()
    }

    /// Keeps a copy that expires at the entry's expiry or `memoryTimeToLive` from now, whichever is first.
    /// The copy carries the whole entry serialized, so a memory hit returns it exactly, and its namespace
    /// and model in the clear, so purges match it.
    private func copyToMemory(_ entry: CacheEntry, for key: CacheKey) async throws {
        let now = clock.now
        let until = min(entry.expiresAt, now.advanced(by: memoryTimeToLive))
        let carrier = CacheEntry(
            body: entry.serialized(), model: entry.model, namespace: entry.namespace, route: entry.route, createdAt: now,
            timeToLive: now.duration(to: until))
        if carrier.timeToLive > .zero {
            try await memory.setEntry(carrier, for: key)
        } else {
            try await memory.removeEntry(for: key)
        }
    }
}
