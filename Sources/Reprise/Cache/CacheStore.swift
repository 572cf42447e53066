/// Where cached answers live: memory, an embedded database, or a shared network store.
///
/// ## Implementation requirements
/// - An expired entry is never returned: ``entry(for:)`` answers `nil` once the store's clock reaches
///   the entry's ``CacheEntry/expiresAt``, even if the entry is still held. Only
///   ``entry(for:allowingStaleness:)`` returns an expired entry, and only within both the staleness the
///   caller accepts and the entry's ``CacheEntry/staleRetention``.
/// - An entry is kept until ``CacheEntry/retainedUntil`` at most.
/// - ``setEntry(_:for:)`` replaces any entry under the same key; an entry whose time to live is not
///   positive is not stored.
/// - A store bounded in size evicts least-recently-used entries to make room and never holds more than
///   its bound; an entry larger than the whole bound is not stored.
/// - Operations are safe to call concurrently from many tasks.
/// - Failures (a network store that is down) are thrown, never hidden as a miss; the gateway decides how
///   to fall back.
///
/// Every implementation passes `CacheStoreConformance` from `RepriseTesting`.
public protocol CacheStore: Sendable {
    /// The entry stored under `key` if it is fresh, or expired less than `staleness` ago and still
    /// retained; otherwise `nil`.
    func entry(for key: CacheKey, allowingStaleness staleness: Duration) async throws -> CacheEntry?

    /// Stores `entry` under `key` until `entry.expiresAt`.
    func setEntry(_ entry: CacheEntry, for key: CacheKey) async throws

    /// Removes the entry under `key`.
    /// - Returns: whether an entry was removed.
    @discardableResult
    func removeEntry(for key: CacheKey) async throws -> Bool

    /// Removes every entry that `filter` matches.
    /// - Returns: how many entries were removed.
    @discardableResult
    func removeEntries(matching filter: CachePurgeFilter) async throws -> Int

    /// The store's current size and churn.
    func statistics() async throws -> CacheStoreStatistics

    /// Whether ``statistics()`` counts exactly this store's entries and ``removeEntries(matching:)``
    /// answers exactly how many it removed. A store that cannot enumerate its entries (memcached) answers
    /// `false`: its purges still take effect, but what they report is `0` and its statistics describe
    /// its servers as a whole. `true` unless a store says otherwise.
    var countsEntriesExactly: Bool { get }
}

extension CacheStore {
    public var countsEntriesExactly: Bool { true }

    /// The fresh entry stored under `key`, or `nil`.
    public func entry(for key: CacheKey) async throws -> CacheEntry? {
        try await entry(for: key, allowingStaleness: .zero)
    }
}
