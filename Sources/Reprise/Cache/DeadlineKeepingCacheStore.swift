/// A store that can bound a read by a deadline itself, so a caller need not race the read in a task of its
/// own to stop waiting for a store that hangs.
///
/// The gateway gives every read of a network store a short deadline. Racing a read in a second task costs
/// a task, a continuation and a timer per read; a store whose client already tracks deadlines (a Redis
/// connection times its commands) keeps the caller's deadline for less.
public protocol DeadlineKeepingCacheStore: CacheStore {
    /// Whether ``entry(for:allowingStaleness:within:)`` keeps its deadline with this store's configuration
    /// (a Redis Cluster, whose redirections and slot-map reloads are not bounded, does not).
    var keepsReadDeadlines: Bool { get }

    /// Like ``CacheStore/entry(for:allowingStaleness:)``, but returns or throws no later than `deadline` from
    /// now, throwing ``CacheStoreError/timedOut(_:after:)`` when it runs out.
    func entry(for key: CacheKey, allowingStaleness staleness: Duration, within deadline: Duration) async throws -> CacheEntry?
}
