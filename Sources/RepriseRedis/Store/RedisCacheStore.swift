import Logging
import Reprise
import ServiceLifecycle
import Synchronization

/// A ``CacheStore`` in Redis or a Redis Cluster, shared by every gateway replica.
///
/// Entries are stored in the shared versioned form (``CacheEntry/serialized()``) with a Redis expiry at
/// the end of their retention (``CacheEntry/retainedUntil``), so Redis drops them on its own. Whether an
/// entry is fresh or stale is decided from the entry's own timestamps and the injected clock, never
/// from Redis's clock. The key layout and why it suits a cluster are described in ``RedisKeyLayout``.
///
/// ``statistics()`` counts the entries whose retention has not ended, from the bucket indexes; entries
/// Redis evicted under memory pressure are still counted until their retention ends, and bytes are not
/// known (reported as 0; ask Redis with `INFO memory`). Records larger than
/// ``RedisConfiguration/maximumEntryBytes`` are not stored and counted in ``oversizedEntries``.
///
/// Run the store in a `ServiceGroup` to close its connections on graceful shutdown, or call
/// ``shutdown()``.
public final class RedisCacheStore<C: EpochClock>: DeadlineKeepingCacheStore, Service {
    public let configuration: RedisConfiguration
    private let client: any RedisClient
    private let layout: RedisKeyLayout
    private let clock: C
    private let logger: Logger
    private let oversizedCount = Atomic<Int>(0)

    /// Creates a store; no connection is opened until the first operation, so a Redis that is down at
    /// start-up only fails the operations made while it is down.
    /// - Throws: ``RedisConfigurationError`` when the key prefix contains `{` or `}`.
    public convenience init(configuration: RedisConfiguration, clock: C, logger: Logger = Logger(label: "reprise.redis")) throws {
        let client: any RedisClient = switch configuration.topology {
        case .standalone(let endpoint): RedisStandaloneClient(endpoint: endpoint, configuration: configuration)
        case .cluster: RedisClusterClient(configuration: configuration, logger: logger)
        }
        try self.init(configuration: configuration, client: client, clock: clock, logger: logger)
    }

    /// Creates a store over an existing client.
    init(configuration: RedisConfiguration, client: any RedisClient, clock: C, logger: Logger) throws(RedisConfigurationError) {
        guard !configuration.keyPrefix.contains("{"), !configuration.keyPrefix.contains("}") else {
            throw RedisConfigurationError("The key prefix '\(configuration.keyPrefix)' must not contain '{' or '}'; they would change which cluster slot keys land in")
        }
        self.configuration = configuration
        self.client = client
        self.layout = RedisKeyLayout(prefix: configuration.keyPrefix)
        self.clock = clock
        self.logger = logger
    }

    /// Entries not stored because their record exceeded ``RedisConfiguration/maximumEntryBytes``.
    public var oversizedEntries: Int { oversizedCount.load(ordering: .relaxed) }

    /// - Complexity: one round trip (`HGET`).
    public func entry(for key: CacheKey, allowingStaleness staleness: Duration) async throws -> CacheEntry? {
        try decodeEntry(from: await client.execute("HGET", key: layout.entryKey(key), ["d"]), key: key, staleness: staleness)
    }

    /// A single server keeps read deadlines; a cluster's redirections and slot-map reloads are not bounded.
    public var keepsReadDeadlines: Bool { client.keepsCallerDeadlines }

    /// - Complexity: one round trip (`HGET`), given up at `deadline`; the connection stays open.
    public func entry(for key: CacheKey, allowingStaleness staleness: Duration, within deadline: Duration) async throws -> CacheEntry? {
        let reply: RESPValue
        do {
            reply = try await client.execute("HGET", key: layout.entryKey(key), ["d"], within: deadline)
        } catch let error as RedisError where error.code == .timeout {
            throw CacheStoreError.timedOut("get", after: deadline)
        }
        return try decodeEntry(from: reply, key: key, staleness: staleness)
    }

    private func decodeEntry(from reply: RESPValue, key: CacheKey, staleness: Duration) throws -> CacheEntry? {
        guard let record = reply.bytes else { return nil }
        let entry: CacheEntry
        do {
            entry = try CacheEntry(serialized: Array(record))
        } catch {
            logger.warning("Ignoring an unreadable Redis cache entry", metadata: [
                "Reprise.cache.key": "\(key.hex)", "Reprise.error": "\(error)",
            ])
            return nil
        }
        return entry.isUsable(at: clock.now, allowingStaleness: staleness) ? entry : nil
    }

    /// - Complexity: one round trip (a script updating the entry and its indexes in one slot).
    public func setEntry(_ entry: CacheEntry, for key: CacheKey) async throws {
        let now = clock.now
        guard entry.timeToLive > .zero, entry.isFresh(at: now) else { return }
        let record = entry.serialized()
        guard record.count <= configuration.maximumEntryBytes else {
            oversizedCount.add(1, ordering: .relaxed)
            logger.info("Not storing a cache entry larger than the Redis store's limit", metadata: [
                "Reprise.cache.key": "\(key.hex)", "Reprise.cache.bytes": "\(record.count)",
                "Reprise.cache.limitBytes": "\(configuration.maximumEntryBytes)",
            ])
            return
        }
        let retention = max(1, Self.millisecondsRoundedUp(now.duration(to: entry.retainedUntil)))
        let bucket = layout.bucket(of: key)
        let indexes = [layout.allIndex(bucket)] + layout.namespaceIndexes(bucket, for: entry.namespace)
            + [layout.modelIndex(bucket, entry.model)]
        _ = try await RedisScript.setEntry.run(
            on: client, keys: [layout.entryKey(key)] + indexes,
            arguments: [
                RedisArgument(key.hex), RedisArgument(bytes: record), RedisArgument(entry.namespace),
                RedisArgument(entry.model), RedisArgument(retention),
                RedisArgument(entry.retainedUntil.millisecondsSinceEpoch), RedisArgument(now.millisecondsSinceEpoch),
            ])
    }

    /// - Complexity: one round trip.
    @discardableResult
    public func removeEntry(for key: CacheKey) async throws -> Bool {
        let bucket = layout.bucket(of: key)
        let reply = try await RedisScript.removeEntry.run(
            on: client, keys: [layout.entryKey(key), layout.allIndex(bucket)], arguments: [RedisArgument(key.hex)])
        return reply.integer == 1
    }

    /// Counts the entries whose retention has not ended, one `ZCOUNT` per bucket.
    /// - Complexity: ``RedisKeyLayout/bucketCount`` round trips, run concurrently.
    public func statistics() async throws -> CacheStoreStatistics {
        let now = clock.now.millisecondsSinceEpoch
        let entries = try await forEachBucket { bucket in
            let reply = try await self.client.execute("ZCOUNT", key: self.layout.allIndex(bucket), ["(\(now)", "+inf"])
            return Int(reply.integer ?? 0)
        }
        return CacheStoreStatistics(entries: entries, bytes: 0, capacityBytes: nil)
    }

    /// Closes every connection; later operations throw.
    public func shutdown() {
        client.shutdown()
    }

    /// Waits for graceful shutdown of the service group, then closes the connections.
    public func run() async throws {
        try? await gracefulShutdown()
        shutdown()
    }

    /// Runs `body` for every bucket concurrently and sums the results.
    func forEachBucket(_ body: @escaping @Sendable (Int) async throws -> Int) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for bucket in 0..<RedisKeyLayout.bucketCount {
                group.addTask { try await body(bucket) }
            }
            return try await group.reduce(0, +)
        }
    }

    private static func millisecondsRoundedUp(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let whole = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return attoseconds % 1_000_000_000_000_000 > 0 ? whole + 1 : whole
    }

    var keyLayout: RedisKeyLayout { layout }
    var redisClient: any RedisClient { client }
}

extension RedisCacheStore where C == SystemEpochClock {
    /// Creates a store on the system clock from a store URL such as `redis://localhost:6379/0`.
    /// - Throws: ``RedisConfigurationError`` when the URL cannot be used.
    public convenience init(url: String, logger: Logger = Logger(label: "reprise.redis")) throws {
        try self.init(configuration: RedisConfiguration(url: url), clock: SystemEpochClock(), logger: logger)
    }
}
