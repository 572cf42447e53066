import Synchronization

/// The embedded in-memory store: bounded in bytes, least-recently-used eviction, time-to-live expiry.
///
/// Sizes count each entry's key and ``CacheEntry/approximateSize``. All operations run under one lock
/// and do constant work apart from purges, so the store serves the gateway's hot path directly.
public final class MemoryCacheStore<C: EpochClock>: CacheStore {
    /// The default bound: 256 MiB.
    public static var defaultCapacityBytes: Int { 256 * 1024 * 1024 }

    private let clock: C
    private let storage: Mutex<LRUStorage>

    /// Creates an empty store.
    /// - Parameters:
    ///   - capacityBytes: the most bytes the store holds before evicting.
    ///   - clock: the clock expiry is measured with.
    public init(capacityBytes: Int = MemoryCacheStore.defaultCapacityBytes, clock: C) {
        self.clock = clock
        self.storage = Mutex(LRUStorage(capacityBytes: capacityBytes))
    }

    /// - Complexity: O(1).
    public func entry(for key: CacheKey, allowingStaleness staleness: Duration) async throws -> CacheEntry? {
        let now = clock.now
        return storage.withLock { $0.entry(for: key.hex, now: now, allowingStaleness: staleness) }
    }

    /// - Complexity: O(1) amortized, plus O(k) for the k entries evicted.
    public func setEntry(_ entry: CacheEntry, for key: CacheKey) async throws {
        guard entry.timeToLive > .zero, entry.isFresh(at: clock.now) else { return }
        storage.withLock { $0.insert(entry, for: key.hex) }
    }

    /// - Complexity: O(1).
    @discardableResult
    public func removeEntry(for key: CacheKey) async throws -> Bool {
        storage.withLock { $0.remove(key.hex) }
    }

    /// - Complexity: O(n) in the number of entries.
    @discardableResult
    public func removeEntries(matching filter: CachePurgeFilter) async throws -> Int {
        storage.withLock { $0.removeAll(where: filter.matches) }
    }

    /// Removes every expired entry; the gateway runs this periodically so memory is given back even for
    /// entries nobody asks for again.
    /// - Complexity: O(n) in the number of entries.
    @discardableResult
    public func removeExpiredEntries() -> Int {
        let now = clock.now
        return storage.withLock { $0.removeExpired(now: now) }
    }

    public func statistics() async throws -> CacheStoreStatistics {
        storage.withLock { $0.statistics }
    }
}

extension MemoryCacheStore where C == SystemEpochClock {
    /// Creates an empty store on the system clock.
    public convenience init(capacityBytes: Int = MemoryCacheStore.defaultCapacityBytes) {
        self.init(capacityBytes: capacityBytes, clock: SystemEpochClock())
    }
}
