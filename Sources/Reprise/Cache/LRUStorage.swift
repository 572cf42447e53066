/// The state of ``MemoryCacheStore``: entries in a ``ByteBoundedLRU`` (each costing its
/// ``CacheEntry/approximateSize`` and its key), and what expired.
struct LRUStorage {
    private var entries: ByteBoundedLRU<String, CacheEntry>
    private var expirations = 0

    init(capacityBytes: Int) {
        entries = ByteBoundedLRU(capacityBytes: capacityBytes)
    }

    var capacityBytes: Int { entries.capacityBytes }
    var bytes: Int { entries.bytes }

    var statistics: CacheStoreStatistics {
        CacheStoreStatistics(
            entries: entries.count, bytes: entries.bytes, capacityBytes: entries.capacityBytes, evictions: entries.evictions,
            expirations: expirations)
    }

    mutating func entry(for key: String, now: EpochInstant, allowingStaleness staleness: Duration) -> CacheEntry? {
        guard let entry = entries.peek(key) else { return nil }
        guard now < entry.retainedUntil else {
            entries.removeValue(for: key)
            expirations += 1
            return nil
        }
        guard entry.isUsable(at: now, allowingStaleness: staleness) else { return nil }
        return entries.value(for: key)
    }

    mutating func insert(_ entry: CacheEntry, for key: String) {
        entries.insert(entry, for: key, size: entry.approximateSize + key.utf8.count)
    }

    mutating func remove(_ key: String) -> Bool {
        entries.removeValue(for: key) != nil
    }

    mutating func removeAll(where shouldRemove: (CacheEntry) -> Bool) -> Int {
        entries.removeAll { shouldRemove($1) }
    }

    mutating func removeExpired(now: EpochInstant) -> Int {
        let removed = removeAll { now >= $0.retainedUntil }
        expirations += removed
        return removed
    }
}
