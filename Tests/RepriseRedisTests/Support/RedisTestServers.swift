import Foundation
import Glibc
import Logging
import NIOCore
import NIOPosix
import Reprise
import RepriseTesting
import Synchronization
import Testing

@testable import RepriseRedis

/// The servers `scripts/services/redis.sh` started, read from the environment.
enum RedisTestServers {
    private static let environment = ProcessInfo.processInfo.environment

    static let standaloneURL = environment["REPRISE_TEST_REDIS_URL"]
    static let authURL = environment["REPRISE_TEST_REDIS_AUTH_URL"]
    static let aclURL = environment["REPRISE_TEST_REDIS_ACL_URL"]
    static let clusterURL = environment["REPRISE_TEST_REDIS_CLUSTER_URL"]
    static let serverBinary = environment["REPRISE_TEST_REDIS_SERVER"]
    static let tlsURL = environment["REPRISE_TEST_REDIS_TLS_URL"]
    static let untrustedTLSURL = environment["REPRISE_TEST_REDIS_TLS_UNTRUSTED_URL"]

    static let howToStart = "start them with scripts/test.sh, or run `eval \"$(scripts/services/redis.sh start)\"` before `swift test`"
    static let standaloneMissing: Comment = "REPRISE_TEST_REDIS_URL is not set; \(howToStart)"
    static let authMissing: Comment = "REPRISE_TEST_REDIS_AUTH_URL and REPRISE_TEST_REDIS_ACL_URL are not set; \(howToStart)"
    static let clusterMissing: Comment = "REPRISE_TEST_REDIS_CLUSTER_URL is not set; \(howToStart)"
    static let tlsMissing: Comment = "REPRISE_TEST_REDIS_TLS_URL is not set; \(howToStart)"
    static let binaryMissing: Comment = "REPRISE_TEST_REDIS_SERVER is not set; \(howToStart)"

    /// A configuration for `url` with a key prefix no other test uses, so every store starts empty.
    static func configuration(_ url: String?) throws -> RedisConfiguration {
        var configuration = try RedisConfiguration(url: url ?? "")
        configuration.keyPrefix = "reprise-test-\(UInt64.random(in: 0...UInt64.max)):"
        configuration.commandTimeout = .seconds(10)
        return configuration
    }

    static func entry(_ clock: ManualClock, body: String = "answer", model: String = "gpt-4o", namespace: String = "team") -> CacheEntry {
        CacheEntry(body: Array(body.utf8), model: model, namespace: namespace, route: "/v1/chat/completions",
                   createdAt: clock.now, timeToLive: .seconds(300))
    }

    static func key(_ name: String) -> CacheKey {
        CacheKeyBuilder().key(namespace: "redis-tests", route: "/test", body: .string(name))
    }
}

/// Stores made during one test, shut down when it ends.
final class StoreCloser: Sendable {
    private let stores = Mutex<[any RedisClient]>([])

    func track<C>(_ store: RedisCacheStore<C>) -> RedisCacheStore<C> {
        stores.withLock { $0.append(store.redisClient) }
        return store
    }

    func track(_ client: any RedisClient) -> any RedisClient {
        stores.withLock { $0.append(client) }
        return client
    }

    deinit {
        for client in stores.withLock({ $0 }) { client.shutdown() }
    }
}

/// A redis-server process this test owns, so it can be killed and restarted.
actor OwnedRedisServer {
    nonisolated let port: Int
    private var process: Process?
    private let binary: String

    init(binary: String) async throws {
        self.binary = binary
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress?.port ?? 0
        try await channel.close()
    }

    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", NSTemporaryDirectory()]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        self.process = process
        let endpoint = RedisEndpoint(host: "127.0.0.1", port: port)
        let probe = RedisStandaloneClient(
            endpoint: endpoint, configuration: RedisConfiguration(topology: .standalone(endpoint), connectTimeout: .milliseconds(200)))
        defer { probe.shutdown() }
        for _ in 0..<100 {
            if case .simpleString("PONG")? = try? await probe.send(RedisCommand("PING"), routingKey: []) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw RedisError(code: .connectionFailed, message: "redis-server on port \(port) did not start")
    }

    /// Kills the server the hard way, as a crash would. (SIGKILL: the test process blocks SIGTERM, and
    /// the server inherits that mask.)
    func kill() {
        guard let process else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    deinit {
        if let process { Glibc.kill(process.processIdentifier, SIGKILL) }
    }
}
