/// A store that holds expired entries until it is told to drop them (memory, SQLite), as opposed to one
/// whose server expires them itself (memcached, Redis). The gateway sweeps such a store periodically.
public protocol ExpiringCacheStore: CacheStore {
    /// Removes every entry past its ``CacheEntry/retainedUntil``.
    /// - Returns: how many entries were removed.
    @discardableResult
    func removeExpiredEntries() async throws -> Int
}

extension MemoryCacheStore: ExpiringCacheStore {}
