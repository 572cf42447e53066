import Logging
import NIOCore
import Reprise
import SQLiteNIO
import Synchronization

/// The embedded persistent store: one SQLite file in WAL mode that survives restarts, bounded in bytes
/// with least-recently-used eviction.
///
/// Why SQLite through `vapor/sqlite-nio` rather than GRDB: sqlite-nio bundles its own SQLite, so the
/// store needs no system library and builds the same on every machine, and it runs every SQLite call on
/// SwiftNIO's thread pool, so a slow disk never blocks the tasks serving requests. It lives in its own
/// target, `RepriseSQLite`, so users of the core `Reprise` library do not compile SQLite unless they use
/// this store.
///
/// Each row keeps the entry in its versioned byte form (``CacheEntry/serialized()``) with what purges and
/// eviction need in plain columns: namespace, model, when the entry may be dropped, its size, and an
/// access tick that every read advances. Triggers keep the totals row exact, so the size bound is
/// checked in O(1) after each write. Every operation is one SQL statement, so operations from many
/// tasks never interleave inside a transaction.
///
/// A row whose value cannot be read (corrupt, or written by a build with another layout) is answered
/// as a miss, deleted and counted in ``CacheStoreStatistics/unreadableEntries``.
public final class SQLiteCacheStore<C: EpochClock>: ExpiringCacheStore {
    /// The default bound: 1 GiB.
    public static var defaultCapacityBytes: Int { 1024 * 1024 * 1024 }

    /// The path of the database file.
    public let path: String
    /// The most bytes (values plus keys) the store holds before evicting.
    public let capacityBytes: Int
    private let clock: C
    private let connection: SQLiteConnection
    private let logger: Logger
    private let accessTick: Atomic<Int64>
    private let counters = Mutex(Counters())

    private struct Counters {
        var evictions = 0
        var expirations = 0
        var unreadable = 0
        var oversized = 0
    }

    private init(path: String, capacityBytes: Int, clock: C, connection: SQLiteConnection, lastTick: Int64, logger: Logger) {
        self.path = path
        self.capacityBytes = capacityBytes
        self.clock = clock
        self.connection = connection
        self.accessTick = Atomic(lastTick)
        self.logger = logger
    }

    /// Opens (creating when needed) the store in the file at `path`.
    ///
    /// The file is created with mode 0600 (and SQLite gives its `-wal` and `-shm` files the same), since it
    /// holds prompts and answers; an existing file readable by others is made private. A file that is not
    /// a database or is corrupt is a disposable cache: it is set aside as `<path>.corrupt-<time>` (with its
    /// `-wal` and `-shm`), a fresh store is made in its place, and a warning says where the old one went.
    /// - Throws: ``CacheStoreError`` naming the file when it cannot be opened, or was written by a build with
    ///   another schema version.
    public static func open(
        path: String, capacityBytes: Int = SQLiteCacheStore.defaultCapacityBytes, clock: C,
        logger: Logger = Logger(label: "reprise.sqlite")
    ) async throws -> SQLiteCacheStore {
        do {
            return try await openOnce(path: path, capacityBytes: capacityBytes, clock: clock, logger: logger)
        } catch let error as SQLiteError where SQLiteFiles.isCorruption(error) {
            let aside = try SQLiteFiles.setAside(path)
            logger.warning(
                "The SQLite cache file is corrupt; it was set aside and a new, empty cache made in its place",
                metadata: ["Reprise.store": "sqlite", "Reprise.store.path": "\(path)", "Reprise.store.set_aside": "\(aside)", "Reprise.error": "\(error)"])
            return try await openOnce(path: path, capacityBytes: capacityBytes, clock: clock, logger: logger)
        } catch let error as SQLiteError {
            throw CacheStoreError.unavailable(
                "sqlite://\(path)", reason: "the file is not a usable Reprise store (\(error)); move it away or name another path")
        }
    }

    /// Opens the store once, passing SQLite's own errors on so that corruption can be told apart.
    private static func openOnce(path: String, capacityBytes: Int, clock: C, logger: Logger) async throws -> SQLiteCacheStore {
        try SQLiteFiles.makePrivate(path)
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw CacheStoreError.unavailable("sqlite://\(path)", reason: "cannot open the database file (\(error))")
        }
        do {
            try await SQLiteSchema.prepare(connection)
            let lastTick = try await connection.query("SELECT coalesce(max(accessed), 0) AS tick FROM entries")
                .first?.column("tick")?.integer ?? 0
            return SQLiteCacheStore(
                path: path, capacityBytes: capacityBytes, clock: clock, connection: connection, lastTick: Int64(lastTick),
                logger: logger)
        } catch {
            try? await connection.close()
            if let error = error as? CacheStoreError { throw error }
            if let error = error as? SQLiteError { throw error }
            throw CacheStoreError.unavailable(
                "sqlite://\(path)", reason: "the file is not a usable Reprise store (\(error)); move it away or name another path")
        }
    }

    /// Closes the database; the store must not be used afterwards.
    public func close() async throws {
        try await connection.close()
    }

    /// - Complexity: O(log n): one indexed update.
    public func entry(for key: CacheKey, allowingStaleness staleness: Duration) async throws -> CacheEntry? {
        let now = clock.now
        let rows = try await run(
            "UPDATE entries SET accessed = ?1 WHERE key = ?2 RETURNING value",
            [.integer(nextTick()), .text(key.hex)])
        guard let value = rows.first?.column("value")?.blob else { return nil }
        let entry: CacheEntry
        do {
            entry = try CacheEntry(serialized: Array(value.readableBytesView))
        } catch {
            counters.withLock { $0.unreadable += 1 }
            logger.warning(
                "Unreadable cache entry answered as a miss and removed",
                metadata: ["Reprise.store": "sqlite", "Reprise.cache.key": "\(key.hex)", "Reprise.error": "\(error)"])
            try await removeEntry(for: key)
            return nil
        }
        if now >= entry.retainedUntil {
            if try await removeEntry(for: key) { counters.withLock { $0.expirations += 1 } }
            return nil
        }
        return entry.isUsable(at: now, allowingStaleness: staleness) ? entry : nil
    }

    /// - Complexity: O(log n), plus O(n log n) when the write takes the store over its bound.
    public func setEntry(_ entry: CacheEntry, for key: CacheKey) async throws {
        guard entry.timeToLive > .zero, entry.isFresh(at: clock.now) else { return }
        let value = entry.serialized()
        let size = value.count + key.hex.utf8.count
        guard size <= capacityBytes else {
            counters.withLock { $0.oversized += 1 }
            try await removeEntry(for: key)
            return
        }
        _ = try await run(
            """
            INSERT INTO entries (key, namespace, model, retained_until, size, accessed, value)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (key) DO UPDATE SET namespace = excluded.namespace, model = excluded.model,
                retained_until = excluded.retained_until, size = excluded.size, accessed = excluded.accessed,
                value = excluded.value
            """,
            [
                .text(key.hex), .text(entry.namespace), .text(entry.model), .integer(Self.nanoseconds(entry.retainedUntil)),
                .integer(size), .integer(nextTick()), .blob(ByteBuffer(bytes: value)),
            ])
        if try await totals().bytes > capacityBytes { try await evict() }
    }

    /// - Complexity: O(log n).
    @discardableResult
    public func removeEntry(for key: CacheKey) async throws -> Bool {
        try await !run("DELETE FROM entries WHERE key = ?1 RETURNING 1 AS removed", [.text(key.hex)]).isEmpty
    }

    /// - Complexity: O(n) in the number of entries.
    @discardableResult
    public func removeEntries(matching filter: CachePurgeFilter) async throws -> Int {
        try await run(
            """
            DELETE FROM entries
            WHERE (?1 IS NULL OR namespace = ?1 OR substr(namespace, 1, length(?2)) = ?2) AND (?3 IS NULL OR model = ?3)
            RETURNING 1 AS removed
            """,
            [
                filter.namespace.map { .text($0) } ?? .null, filter.namespace.map { .text($0 + ".") } ?? .null,
                filter.model.map { .text($0) } ?? .null,
            ]
        ).count
    }

    /// Removes every entry past its retention; the gateway's expiry sweep calls this periodically.
    /// - Complexity: O(k log n) for the k entries removed.
    @discardableResult
    public func removeExpiredEntries() async throws -> Int {
        let removed = try await run(
            "DELETE FROM entries WHERE retained_until <= ?1 RETURNING 1 AS removed", [.integer(Self.nanoseconds(clock.now))]
        ).count
        counters.withLock { $0.expirations += removed }
        return removed
    }

    public func statistics() async throws -> CacheStoreStatistics {
        let totals = try await totals()
        return counters.withLock { counters in
            CacheStoreStatistics(
                entries: totals.entries, bytes: totals.bytes, capacityBytes: capacityBytes, evictions: counters.evictions,
                expirations: counters.expirations, unreadableEntries: counters.unreadable, oversizedEntries: counters.oversized)
        }
    }

    /// Drops expired entries first, then the least recently used ones, until the store is within its bound.
    private func evict() async throws {
        try await removeExpiredEntries()
        let evicted = try await run(
            """
            DELETE FROM entries WHERE key IN (
                SELECT key FROM (
                    SELECT key, sum(size) OVER (ORDER BY accessed DESC ROWS UNBOUNDED PRECEDING) AS kept FROM entries
                ) WHERE kept > ?1
            ) RETURNING 1 AS removed
            """,
            [.integer(capacityBytes)]
        ).count
        if evicted > 0 {
            counters.withLock { $0.evictions += evicted }
            logger.debug("Evicted least recently used entries", metadata: ["Reprise.store": "sqlite", "Reprise.store.removed": "\(evicted)"])
        }
    }

    private func totals() async throws -> (entries: Int, bytes: Int) {
        let row = try await run("SELECT entries, bytes FROM totals WHERE id = 0", []).first
        return (row?.column("entries")?.integer ?? 0, row?.column("bytes")?.integer ?? 0)
    }

    private func nextTick() -> Int {
        Int(accessTick.add(1, ordering: .relaxed).newValue)
    }

    private func run(_ sql: String, _ binds: [SQLiteData]) async throws -> [SQLiteRow] {
        do {
            return try await connection.query(sql, binds)
        } catch {
            throw CacheStoreError.unavailable("sqlite://\(path)", reason: "\(error)")
        }
    }

    static func nanoseconds(_ instant: EpochInstant) -> Int {
        let (seconds, attoseconds) = instant.sinceEpoch.components
        // ±9e9 s is ±285 years from 1970: beyond that the value saturates rather than overflows.
        guard abs(seconds) < 9_000_000_000 else { return seconds < 0 ? .min : .max }
        return Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
    }
}

extension SQLiteCacheStore where C == SystemEpochClock {
    /// Opens the store on the system clock.
    public static func open(
        path: String, capacityBytes: Int = SQLiteCacheStore.defaultCapacityBytes, logger: Logger = Logger(label: "reprise.sqlite")
    ) async throws -> SQLiteCacheStore {
        try await open(path: path, capacityBytes: capacityBytes, clock: SystemEpochClock(), logger: logger)
    }
}
