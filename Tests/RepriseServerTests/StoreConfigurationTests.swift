import Foundation
import Logging
import Reprise
import RepriseGateway
@testable import RepriseServer
import RepriseSemantic
import RepriseMemcached
import RepriseSQLite
import RepriseTesting
import Testing

/// `--store`, `REPRISE_STORE` and the `cache.store*` keys, and the store each URL makes.
@Suite struct StoreConfigurationTests {
    static let file = """
        cache:
          store: memcached://cache-1:11311,cache-2
          store_deadline: 80ms
          store_failure_threshold: 7
          store_retry_backoff: 2s
          store_max_retry_backoff: 30s
          store_capacity: 2GiB
          memory_tier: 15s
          memcached_item_size_limit: 4MiB
          encryption_key_env: MY_STORE_KEY
        """
    static let storeKey = Data(repeating: 7, count: 32).base64EncodedString()

    @Test func fileSetsEveryStoreKey() async throws {
        let configuration = try await ConfigurationLoadingTests.load(Self.file, environment: ["MY_STORE_KEY": Self.storeKey])
        #expect(configuration.store == .memcached(url: "memcached://cache-1:11311,cache-2"))
        #expect(try StoreLocation.memcachedConfiguration(url: "memcached://cache-1:11311,cache-2").servers == [
            MemcachedServer(host: "cache-1", port: 11311), MemcachedServer(host: "cache-2", port: 11211),
        ])
        #expect(configuration.storeDeadline == .milliseconds(80))
        #expect(configuration.storeFailureThreshold == 7)
        #expect(configuration.storeRetryBackoff == .seconds(2))
        #expect(configuration.storeMaximumRetryBackoff == .seconds(30))
        #expect(configuration.storeCapacityBytes == 2 << 30)
        #expect(configuration.memoryTierTimeToLive == .seconds(15))
        #expect(configuration.memcachedItemSizeLimit == 4 << 20)
        #expect(configuration.storeEncryptionKey == [UInt8](repeating: 7, count: 32))
    }

    @Test func environmentOverridesTheFileAndTheFlagOverridesBoth() async throws {
        let fromEnvironment = try await ConfigurationLoadingTests.load(
            Self.file, environment: ["MY_STORE_KEY": Self.storeKey, "REPRISE_STORE": "sqlite:///var/lib/reprise/cache.db"])
        #expect(fromEnvironment.store == .sqlite(path: "/var/lib/reprise/cache.db"))
        let fromFlag = try await ConfigurationLoadingTests.load(
            Self.file, environment: ["MY_STORE_KEY": Self.storeKey, "REPRISE_STORE": "sqlite:///x.db"],
            flags: ["--store", "memory"])
        #expect(fromFlag.store == .memory)
    }

    @Test(arguments: [
        ("sqlite://", "names no file"), ("ftp://host", "scheme 'ftp'"), ("memcached://h:99999", "'99999'"),
        ("redis://h:abc", "port 'abc'"), ("redis://h/x", "database '/x'"), ("redis+cluster://a:1,b:2/3", "Redis Cluster"),
        ("redis://a:1,b:2", "redis+cluster"), ("memcahced://h", "scheme 'memcahced'"), ("mem", "must be 'memory'"),
        ("redis://h:6379?pool=lots", "pool"),
    ])
    func badStoreURLsNameTheirFault(_ url: String, _ fault: String) {
        #expect {
            _ = try StoreLocation.checked(url: url, key: "--store", in: "the command line")
        } throws: { error in
            let message = "\(error)"
            return message.contains(fault) && message.contains("--store")
        }
    }

    @Test(arguments: [
        "redis://:s3cret@h:6379/2", "rediss://user:s3cret@redis.example:6380", "redis+cluster://a:7000,b:7001",
        "redis://h:6379/1?pool=2&prefix=app1:&timeout=20ms",
    ])
    func redisURLsMakeAResilientRedisStoreWithoutConnecting(_ url: String) async throws {
        let location = try StoreLocation(url: url)
        #expect(!location.description.contains("s3cret"))
        var configuration = GatewayConfiguration()
        configuration.store = location
        configuration.memoryTierTimeToLive = .zero
        let made = try await CacheStoreFactory.makeStore(configuration: configuration, clock: ManualClock(), logger: Logger(label: "test"))
        #expect(made.store is ResilientCacheStore)
        #expect(made.services.count == 1)
    }

    @Test func namedKeyVariableMustBeSetAndValid() async throws {
        let missing = try await ConfigurationLoadingTests.loadingError(Self.file)
        #expect(missing.message.contains("MY_STORE_KEY"))
        let short = try await ConfigurationLoadingTests.loadingError(Self.file, environment: ["MY_STORE_KEY": "c2hvcnQ="])
        #expect(short.message.contains("32 bytes") && !short.message.contains("c2hvcnQ="))
    }

    @Test func factoryWrapsNetworkStoresAndTiersThem() async throws {
        var configuration = GatewayConfiguration()
        configuration.store = try StoreLocation(url: "memcached://127.0.0.1:1")
        let plain = try await CacheStoreFactory.makeStore(configuration: configuration, clock: ManualClock(), logger: Logger(label: "test"))
        #expect(plain.store is ResilientCacheStore)
        configuration.memoryTierTimeToLive = .seconds(5)
        configuration.storeEncryptionKey = [UInt8](repeating: 1, count: 32)
        let tiered = try await CacheStoreFactory.makeStore(configuration: configuration, clock: ManualClock(), logger: Logger(label: "test"))
        #expect(tiered.store is TieredCacheStore<ManualClock>)
    }
}
