import Crypto
import Logging
import Metrics
import Reprise
import RepriseGateway
import RepriseMemcached
import RepriseRedis
import RepriseSQLite
import ServiceLifecycle

/// Makes the store the configuration names, wrapped as configured: sealed (encryption at rest), guarded
/// by deadlines and a circuit breaker (network stores), tiered behind a memory copy (network stores with
/// `cache.memory_tier`).
///
/// This is the one place that knows which type serves which store URL.
public enum CacheStoreFactory {
    /// A store ready for `buildApplication` with the services it needs: expiry sweeps, and closing it on
    /// shutdown.
    public struct ConfiguredStore: Sendable {
        public let store: any CacheStore
        public let services: [any Service]
    }

    /// Opens the store `configuration` names.
    /// - Throws: ``Reprise/ConfigurationError`` when the store cannot be used (a Redis URL in a build
    ///   without Redis), ``Reprise/CacheStoreError`` when an SQLite file cannot be opened.
    public static func makeStore<C: EpochClock>(
        configuration: GatewayConfiguration, clock: C, metricsFactory: any MetricsFactory = MetricsSystem.factory,
        logger: Logger
    ) async throws -> ConfiguredStore {
        var services: [any Service] = []
        var store: any CacheStore
        switch configuration.store {
        case .memory:
            let memory = MemoryCacheStore(capacityBytes: configuration.memoryStoreCapacityBytes, clock: clock)
            services.append(ExpirySweepService(store: memory, interval: configuration.expirySweepInterval, clock: clock, logger: logger))
            store = memory
        case .sqlite(let path):
            let sqlite = try await SQLiteCacheStore.open(path: path, capacityBytes: configuration.storeCapacityBytes, clock: clock, logger: logger)
            services.append(ExpirySweepService(store: sqlite, interval: configuration.expirySweepInterval, clock: clock, logger: logger))
            services.append(StoreShutdownService { try await sqlite.close() })
            store = sqlite
        case .memcached(let url):
            var memcached = try StoreLocation.memcachedConfiguration(url: url)
            memcached.maximumItemBytes = configuration.memcachedItemSizeLimit
            let client = try MemcachedCacheStore(configuration: memcached, clock: clock, logger: logger)
            services.append(StoreShutdownService { client.close() })
            store = client
        case .redis(let url):
            let redis = try makeRedisStore(url: url, clock: clock, logger: logger)
            services.append(redis)
            store = redis
        }
        if let key = configuration.storeEncryptionKey {
            store = SealedCacheStore(wrapping: store, key: SymmetricKey(data: key))
        }
        guard configuration.store.isNetworkStore else { return ConfiguredStore(store: store, services: services) }
        store = ResilientCacheStore(
            wrapping: store, deadline: configuration.storeDeadline, failureThreshold: configuration.storeFailureThreshold,
            baseBackoff: configuration.storeRetryBackoff, maximumBackoff: configuration.storeMaximumRetryBackoff, clock: clock,
            timer: EventLoopDeadlineTimer(), logger: logger, metricsFactory: metricsFactory)
        if configuration.memoryTierTimeToLive > .zero {
            let tiered = TieredCacheStore(
                shared: store, memoryCapacityBytes: configuration.memoryStoreCapacityBytes,
                memoryTimeToLive: configuration.memoryTierTimeToLive, clock: clock)
            services.append(ExpirySweepService(store: tiered, interval: configuration.expirySweepInterval, clock: clock, logger: logger))
            store = tiered
        }
        return ConfiguredStore(store: store, services: services)
    }

    /// The Redis (or Redis Cluster) store for `url`; it connects on first use, so a Redis that is down at
    /// start-up only fails the operations made while it is down, which the resilient wrapper answers.
    static func makeRedisStore<C: EpochClock>(url: String, clock: C, logger: Logger) throws -> RedisCacheStore<C> {
        do {
            return try RedisCacheStore(configuration: RedisConfiguration(url: url), clock: clock, logger: logger)
        } catch {
            throw ConfigurationError.invalidValue("cache.store", in: "the configuration", reason: "names '\(StoreURLText.withoutPassword(url))': \(error)")
        }
    }
}

/// Closes a store's connections or files when the gateway shuts down.
struct StoreShutdownService: Service {
    let close: @Sendable () async throws -> Void

    func run() async throws {
        try? await gracefulShutdown()
        try await close()
    }
}
