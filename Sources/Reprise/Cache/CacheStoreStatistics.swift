/// A store's size and churn, for `/admin/stats` and metrics.
public struct CacheStoreStatistics: Sendable, Hashable, Codable {
    /// Entries currently held (expired ones not yet swept may be included).
    public var entries: Int
    /// Bytes currently held, as the store counts them.
    public var bytes: Int
    /// The byte bound, when the store has one.
    public var capacityBytes: Int?
    /// Entries removed to make room since the store started.
    public var evictions: Int
    /// Entries removed because they expired since the store started.
    public var expirations: Int
    /// Stored values read since the store started that could not be used — corrupt, of an unknown
    /// version, sealed with another key or tampered with — and were answered as misses.
    public var unreadableEntries: Int
    /// Entries not stored since the store started because they were larger than the store accepts.
    public var oversizedEntries: Int

    public init(
        entries: Int = 0, bytes: Int = 0, capacityBytes: Int? = nil, evictions: Int = 0, expirations: Int = 0,
        unreadableEntries: Int = 0, oversizedEntries: Int = 0
    ) {
        self.entries = entries
        self.bytes = bytes
        self.capacityBytes = capacityBytes
        self.evictions = evictions
        self.expirations = expirations
        self.unreadableEntries = unreadableEntries
        self.oversizedEntries = oversizedEntries
    }
}
