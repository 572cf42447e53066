import Logging
import NIOCore
import NIOPosix
import Reprise
import Synchronization

/// A store on one or more memcached servers, shared by every gateway replica pointed at them.
///
/// Entries are spread over the servers by consistent hashing (``ConsistentHashRing``) and written with a
/// server-side expiry at the end of their retention, so memcached frees them itself; this store still
/// checks every entry's expiry against its own clock.
///
/// ## Purges
/// Memcached cannot list its keys, so a purge cannot find the entries it removes. Instead every purge
/// scope — everything, a namespace (with the namespaces narrowed from it), a model, a namespace with a
/// model — has a generation counter on the servers. An entry records the generations of every scope it
/// belongs to when it is stored; a read fetches those counters (one pipelined batch) and answers a miss
/// once any has moved on. A purge bumps one counter, so every kind of purge works, across every replica,
/// in O(1). What memcached cannot do:
/// - report how many entries a purge removed (``CacheStore/countsEntriesExactly`` is `false`, and
///   purges answer 0);
/// - free the purged entries' memory at once: they stay until their expiry or memcached's own eviction;
/// - count this store's entries: ``statistics()`` sums the servers' own figures, which include
///   anything else stored on them.
/// A lost counter (a server restarted or evicted it) is recreated at a random value, so entries stamped
/// with the old value read as misses rather than coming back after a purge.
///
/// ## Sizes
/// An entry larger than ``MemcachedConfiguration/maximumItemBytes`` is not stored (the previous entry under
/// its key is removed) and is counted in ``CacheStoreStatistics/oversizedEntries``; it is never truncated.
///
/// Values are `RPMG`, a format byte, the generation stamps, then ``CacheEntry/serialized()``; a value that
/// does not read back is answered as a miss, deleted and counted in
/// ``CacheStoreStatistics/unreadableEntries``.
public final class MemcachedCacheStore<C: EpochClock>: CacheStore {
    /// Memcached reads a time to live over 30 days as an absolute Unix time, so none is longer.
    static var longestTimeToLiveSeconds: Int { 30 * 24 * 3600 }
    /// The client flags every value is written with: the value layout's version.
    static var valueFlags: UInt32 { 1 }
    static var valueMagic: [UInt8] { Array("RPMG".utf8) }

    private let client: MemcachedClient
    private let keys: MemcachedKeys
    private let clock: C
    private let logger: Logger
    private let counters = Mutex((unreadable: 0, oversized: 0))

    /// - Throws: ``Reprise/CacheStoreError`` when `configuration` cannot be used.
    public init(
        configuration: MemcachedConfiguration, clock: C, logger: Logger = Logger(label: "reprise.memcached"),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) throws {
        if let problem = configuration.problem {
            throw CacheStoreError.unsupported("The memcached store configuration \(problem).")
        }
        self.client = MemcachedClient(configuration: configuration, eventLoopGroup: eventLoopGroup)
        self.keys = MemcachedKeys(prefix: configuration.keyPrefix)
        self.clock = clock
        self.logger = logger
    }

    public var countsEntriesExactly: Bool { false }

    /// Closes every connection.
    public func close() { client.close() }

    /// - Complexity: two round trips: the entry, then its generation counters (in parallel per server).
    public func entry(for key: CacheKey, allowingStaleness staleness: Duration) async throws -> CacheEntry? {
        let dataKey = keys.entry(key)
        guard let found = try await client.get(dataKey) else { return nil }
        guard found.flags == Self.valueFlags, let (stamps, entry) = Self.decode(found.value) else {
            counters.withLock { $0.unreadable += 1 }
            logger.warning(
                "Unreadable cache entry answered as a miss and removed",
                metadata: ["Reprise.store": "memcached", "Reprise.cache.key": "\(key.hex)"])
            _ = try await client.delete(dataKey)
            return nil
        }
        let scopes = PurgeScope.scopes(of: entry)
        guard stamps.count == scopes.count else {
            counters.withLock { $0.unreadable += 1 }
            _ = try await client.delete(dataKey)
            return nil
        }
        let generationKeys = scopes.map(keys.generation)
        let current = try await client.get(many: generationKeys)
        for (generationKey, stamp) in zip(generationKeys, stamps) {
            guard let value = current[generationKey], UInt64(String(buffer: value)) == stamp else {
                // Purged since it was stored (or its counter was lost): gone for good.
                _ = try await client.delete(dataKey)
                return nil
            }
        }
        return entry.isUsable(at: clock.now, allowingStaleness: staleness) ? entry : nil
    }

    /// - Complexity: two round trips: the generation counters (created if missing), then the value.
    public func setEntry(_ entry: CacheEntry, for key: CacheKey) async throws {
        let now = clock.now
        guard entry.timeToLive > .zero, entry.isFresh(at: now) else { return }
        let dataKey = keys.entry(key)
        let serialized = entry.serialized()
        // The value, its key and memcached's item header (about 50 bytes) must fit the item size limit.
        let scopes = PurgeScope.scopes(of: entry)
        let valueSize = Self.valueMagic.count + 3 + scopes.count * 8 + serialized.count
        guard valueSize + dataKey.utf8.count + 64 <= client.configuration.maximumItemBytes else {
            try await refuseOversized(dataKey, size: valueSize)
            return
        }
        let generationKeys = scopes.map(keys.generation)
        let generations = try await client.increment(generationKeys, delta: 0) { UInt64.random(in: 1...(UInt64.max / 2)) }
        var value = ByteBuffer()
        value.reserveCapacity(valueSize)
        value.writeBytes(Self.valueMagic)
        value.writeInteger(UInt8(1))
        value.writeInteger(UInt16(scopes.count))
        for generationKey in generationKeys { value.writeInteger(generations[generationKey] ?? 0) }
        value.writeBytes(serialized)
        let remaining = now.duration(to: entry.retainedUntil).components
        let timeToLive = min(Int(remaining.seconds) + 1, Self.longestTimeToLiveSeconds)
        switch try await client.set(dataKey, value: value, timeToLiveSeconds: timeToLive, flags: Self.valueFlags) {
        case .stored: break
        case .tooLarge: try await refuseOversized(dataKey, size: valueSize)
        }
    }

    /// - Complexity: one round trip.
    @discardableResult
    public func removeEntry(for key: CacheKey) async throws -> Bool {
        try await client.delete(keys.entry(key))
    }

    /// Bumps the generation of the scope `filter` names, so every entry in it reads as a miss from now on,
    /// in every replica.
    /// - Returns: 0; memcached cannot count what a purge removes (see the type's documentation).
    /// - Complexity: one round trip.
    @discardableResult
    public func removeEntries(matching filter: CachePurgeFilter) async throws -> Int {
        let scope = PurgeScope(filter)
        _ = try await client.increment([keys.generation(scope)], delta: 1) { UInt64.random(in: 1...(UInt64.max / 2)) }
        logger.info("Purged memcached scope by bumping its generation", metadata: ["Reprise.store": "memcached"])
        return 0
    }

    /// The servers' own figures, summed over the servers that answered: items, bytes, memory limit,
    /// evictions and reclaimed expired items — everything on the servers, not only this store's entries.
    /// - Throws: ``Reprise/CacheStoreError`` when no server answers.
    public func statistics() async throws -> CacheStoreStatistics {
        let servers = await client.statistics()
        guard !servers.isEmpty else {
            throw CacheStoreError.unavailable(
                "memcached://" + client.configuration.servers.map(\.description).joined(separator: ","), reason: "no server answered 'stats'")
        }
        func sum(_ name: String) -> Int { servers.values.reduce(0) { $0 + (Int($1[name] ?? "") ?? 0) } }
        return counters.withLock { counters in
            CacheStoreStatistics(
                entries: sum("curr_items"), bytes: sum("bytes"), capacityBytes: sum("limit_maxbytes"), evictions: sum("evictions"),
                expirations: sum("reclaimed"), unreadableEntries: counters.unreadable, oversizedEntries: counters.oversized)
        }
    }

    private func refuseOversized(_ dataKey: String, size: Int) async throws {
        counters.withLock { $0.oversized += 1 }
        logger.info(
            "Cache entry larger than the memcached item size limit was not stored",
            metadata: [
                "Reprise.store": "memcached", "Reprise.store.bytes": "\(size)",
                "Reprise.store.limit": "\(client.configuration.maximumItemBytes)",
            ])
        _ = try await client.delete(dataKey)
    }

    /// The generation stamps and the entry in `value`, or `nil` if it is not a value this build wrote.
    static func decode(_ value: ByteBuffer) -> (stamps: [UInt64], entry: CacheEntry)? {
        var value = value
        guard value.readBytes(length: valueMagic.count) == valueMagic, value.readInteger(as: UInt8.self) == 1,
            let count = value.readInteger(as: UInt16.self)
        else { return nil }
        var stamps: [UInt64] = []
        for _ in 0..<count {
            guard let stamp = value.readInteger(as: UInt64.self) else { return nil }
            stamps.append(stamp)
        }
        guard let entry = try? CacheEntry(serialized: Array(value.readableBytesView)) else { return nil }
        return (stamps, entry)
    }
}

extension MemcachedCacheStore where C == SystemEpochClock {
    /// Creates a store on the system clock.
    public convenience init(configuration: MemcachedConfiguration, logger: Logger = Logger(label: "reprise.memcached")) throws {
        try self.init(configuration: configuration, clock: SystemEpochClock(), logger: logger)
    }
}
