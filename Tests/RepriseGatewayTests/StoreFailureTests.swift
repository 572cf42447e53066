import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import Reprise
import RepriseGateway
import RepriseSQLite
import RepriseServer
import RepriseTesting
import Synchronization
import Testing

/// A store that fails or hangs never fails a client request: the answer comes from upstream, marked
/// `bypass`, and the breaker stops asking a store that keeps failing.
@Suite(.timeLimit(.minutes(2))) struct StoreFailureTests {
    @Test func throwingStoreAnswersFromUpstreamMarkedBypass() async throws {
        let store = TroubledStore(.throwing)
        try await StoreGateway.run(store: store) { gateway in
            for _ in 0..<2 {
                let response = try await gateway.chat("The store is down.")
                #expect(response.status == .ok)
                #expect(response.repriseStatus == "bypass")
                #expect(response.cacheStatus?.contains("fwd=bypass") == true)
                #expect(response.cacheStatus?.contains("store-unavailable") == true)
                #expect(try response.json()["choices"] != nil)
            }
            #expect(gateway.upstream.callCount() == 2)
            #expect(store.calls.load(ordering: .relaxed) >= 2)
        }
    }

    @Test func hangingStoreIsAbandonedAtTheDeadline() async throws {
        let store = TroubledStore(.hanging)
        let resilient = ResilientCacheStore(wrapping: store, deadline: .milliseconds(50), clock: ManualClock(), logger: Logger(label: "test"))
        // The store hangs for an hour: only abandoning it at the deadline ends the test within the suite's time limit.
        try await StoreGateway.run(store: resilient) { gateway in
            let response = try await gateway.chat("The store hangs.")
            #expect(response.status == .ok)
            #expect(response.repriseStatus == "bypass")
        }
    }

    @Test func breakerStopsAskingAFailingStoreThenProbesAndCloses() async throws {
        let clock = ManualClock()
        let store = TroubledStore(.throwing)
        let registry = PrometheusCollectorRegistry()
        let logs = RecordedLogs()
        // A deadline no busy machine reaches: every failure here is the store's own, never a timeout.
        let resilient = ResilientCacheStore(
            wrapping: store, deadline: .seconds(60), failureThreshold: 3, baseBackoff: .seconds(10), clock: clock,
            logger: Logger(label: "test", factory: { _ in logs }), metricsFactory: PrometheusMetricsFactory(registry: registry))
        let key = CacheKeyBuilder().key(namespace: "n", route: "/r", body: .null)
        for _ in 0..<3 { await #expect(throws: CacheStoreError.self) { try await resilient.entry(for: key) } }
        #expect(resilient.circuitState == "open")
        #expect(store.calls.load(ordering: .relaxed) == 3)
        for _ in 0..<5 {
            await #expect { try await resilient.entry(for: key) } throws: { ($0 as? CacheStoreError)?.kind == "circuit-open" }
        }
        #expect(store.calls.load(ordering: .relaxed) == 3, "an open breaker does not ask the store")

        clock.advance(by: .seconds(10))
        await #expect(throws: CacheStoreError.self) { try await resilient.entry(for: key) }
        #expect(store.calls.load(ordering: .relaxed) == 4, "one probe after the backoff")
        #expect(resilient.circuitState == "open")
        clock.advance(by: .seconds(10))
        await #expect { try await resilient.entry(for: key) } throws: { ($0 as? CacheStoreError)?.kind == "circuit-open" }
        #expect(store.calls.load(ordering: .relaxed) == 4, "the second backoff is twice as long")

        store.mode.withLock { $0 = .healthy }
        clock.advance(by: .seconds(10))
        #expect(try await resilient.entry(for: key) == nil)
        #expect(resilient.circuitState == "closed")

        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains(#"reprise_store_failures_total{operation="get",kind="unavailable"} 4"#), "\(text)")
        #expect(text.contains("reprise_store_circuit_state 0"))
        #expect(logs.messages == [
            "warning Cache store circuit opened; requests bypass the cache",
            "notice Cache store circuit half-open; probing the store",
            "warning Cache store circuit opened; requests bypass the cache",
            "notice Cache store circuit half-open; probing the store",
            "notice Cache store circuit closed; the store answers again",
        ])
    }

    @Test func purgeTheStoreCannotDoIsAClearAdminError() async throws {
        let store = TroubledStore(.unsupportedPurge)
        try await StoreGateway.run(store: store, configure: { $0.adminToken = "admin" }) { gateway in
            let response = try await gateway.delete("/admin/cache?model=gpt-4o", headers: [.authorization: "Bearer admin"])
            #expect(response.status == .badRequest)
            #expect(response.text.contains("cannot purge by model"))
        }
    }

    @Test func factoryOpensSQLiteAndTheGatewayServesHitsFromIt() async throws {
        try await withTemporaryDirectory { directory in
            var configuration = GatewayConfiguration()
            configuration.store = try StoreLocation(url: "sqlite://\(directory)/cache.db")
            let made = try await CacheStoreFactory.makeStore(configuration: configuration, clock: ManualClock(), logger: Logger(label: "test"))
            let sqlite = try #require(made.store as? SQLiteCacheStore<ManualClock>)
            #expect(sqlite.path == directory + "/cache.db")
            try await StoreGateway.run(store: made.store) { gateway in
                _ = try await gateway.chat("Kept on disk.")
                #expect(try await gateway.chat("Kept on disk.").repriseStatus == "hit")
            }
            try await sqlite.close()
        }
    }
}

/// The gateway in-process with a given store.
enum StoreGateway {
    static func run(
        store: any CacheStore, configure: @Sendable (inout GatewayConfiguration) -> Void = { _ in },
        _ body: @Sendable (GatewayHarness) async throws -> Void
    ) async throws {
        let upstream = FakeUpstream()
        let clock = ManualClock()
        try await upstream.withRunning { baseURL in
            var configuration = GatewayConfiguration()
            configuration.upstreamURL = baseURL
            configuration.namespaceSecret = GatewayHarness.secret
            configuration.port = 0
            configure(&configuration)
            var logger = Logger(label: "reprise.store-tests")
            logger.logLevel = .critical
            let app = try buildApplication(configuration: configuration, store: store, clock: clock, logger: logger)
            let configured = configuration
            try await app.test(.router) { client in
                try await body(
                    GatewayHarness(client: client, upstream: upstream, clock: clock, store: MemoryCacheStore(clock: clock), configuration: configured))
            }
        }
    }
}

/// A store that throws, hangs, or refuses purges by model.
final class TroubledStore: CacheStore {
    enum Mode {
        case throwing
        case hanging
        case unsupportedPurge
        case healthy
    }

    let mode: Mutex<Mode>
    let calls = Atomic<Int>(0)

    init(_ mode: Mode) { self.mode = Mutex(mode) }

    private func trouble() async throws {
        calls.add(1, ordering: .relaxed)
        switch mode.withLock({ $0 }) {
        case .throwing: throw CacheStoreError.unavailable("test", reason: "the test says so")
        case .hanging: try? await Task.sleep(for: .seconds(3600))
        case .unsupportedPurge, .healthy: return
        }
    }

    func entry(for key: CacheKey, allowingStaleness staleness: Duration) async throws -> CacheEntry? {
        try await trouble()
        return nil
    }
    func setEntry(_ entry: CacheEntry, for key: CacheKey) async throws { try await trouble() }
    func removeEntry(for key: CacheKey) async throws -> Bool {
        try await trouble()
        return false
    }
    func removeEntries(matching filter: CachePurgeFilter) async throws -> Int {
        if mode.withLock({ $0 }) == .unsupportedPurge, filter.model != nil {
            throw CacheStoreError.unsupported("This store cannot purge by model; purge by namespace or everything instead.")
        }
        try await trouble()
        return 0
    }
    func statistics() async throws -> CacheStoreStatistics {
        try await trouble()
        return CacheStoreStatistics()
    }
}

@Suite struct UncountedPurgeTests {
    @Test func purgeOnAStoreThatCannotCountSaysSoInsteadOfAFigure() async throws {
        let clock = ManualClock()
        let store = UncountedStore(MemoryCacheStore(clock: clock))
        try await StoreGateway.run(store: store, configure: { $0.adminToken = "admin" }) { gateway in
            _ = try await gateway.chat("Purge me.")
            let response = try await gateway.delete("/admin/cache?model=gpt-4o-mini", headers: [.authorization: "Bearer admin"])
            #expect(response.status == .ok)
            let body = try response.json()
            #expect(body["removed"] == .null)
            #expect(body["note"]?.stringValue?.contains("cannot count") == true)
            #expect(try await gateway.chat("Purge me.").repriseStatus == "miss")
            let stats = try await gateway.get("/admin/stats", headers: [.authorization: "Bearer admin"]).json()
            #expect(stats["store"]?["counts_exactly"] == .bool(false))
        }
    }
}

/// A working store that, like memcached, cannot count its entries.
final class UncountedStore: CacheStore {
    private let store: any CacheStore
    init(_ store: any CacheStore) { self.store = store }
    var countsEntriesExactly: Bool { false }
    func entry(for key: CacheKey, allowingStaleness staleness: Duration) async throws -> CacheEntry? {
        try await store.entry(for: key, allowingStaleness: staleness)
    }
    func setEntry(_ entry: CacheEntry, for key: CacheKey) async throws { try await store.setEntry(entry, for: key) }
    func removeEntry(for key: CacheKey) async throws -> Bool { try await store.removeEntry(for: key) }
    func removeEntries(matching filter: CachePurgeFilter) async throws -> Int {
        _ = try await store.removeEntries(matching: filter)
        return 0
    }
    func statistics() async throws -> CacheStoreStatistics { try await store.statistics() }
}

/// Log lines kept in memory, as "<level> <message>".
final class RecordedLogs: LogHandler, @unchecked Sendable {
    private let lines = Mutex<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    var messages: [String] { lines.withLock { $0 } }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.withLock { $0.append("\(event.level) \(event.message)") }
    }
}

/// A store that keeps read deadlines itself is trusted with them; one that says it cannot keep them is raced.
/// The plain read hangs for an hour: only abandoning it at the deadline ends the test within its time limit.
@Suite(.timeLimit(.minutes(2))) struct DeadlineKeepingStoreTests {
    @Test func aStoreKeepingReadDeadlinesGetsTheDeadlineInsteadOfARace() async throws {
        let store = DeadlineKeepingStore(keeps: true)
        let resilient = ResilientCacheStore(wrapping: store, deadline: .milliseconds(40), clock: ManualClock(), logger: Logger(label: "test"))
        let key = CacheKeyBuilder().key(namespace: "n", route: "/r", body: .null)
        await #expect { try await resilient.entry(for: key) } throws: { ($0 as? CacheStoreError)?.kind == "timeout" }
        #expect(store.reads.withLock { $0 } == ["within 0.04 seconds"])
    }

    @Test func aStoreThatCannotKeepThemNowIsRacedAsAnyOther() async throws {
        let store = DeadlineKeepingStore(keeps: false)
        let resilient = ResilientCacheStore(wrapping: store, deadline: .milliseconds(40), clock: ManualClock(), logger: Logger(label: "test"))
        let key = CacheKeyBuilder().key(namespace: "n", route: "/r", body: .null)
        await #expect { try await resilient.entry(for: key) } throws: { ($0 as? CacheStoreError)?.kind == "timeout" }
        #expect(store.reads.withLock { $0 } == ["plain"])
    }
}

/// Records which read the resilient store made: the deadline-keeping one fails at once with its deadline;
/// the plain one hangs.
final class DeadlineKeepingStore: DeadlineKeepingCacheStore {
    let keepsReadDeadlines: Bool
    let reads = Mutex<[String]>([])

    init(keeps: Bool) { keepsReadDeadlines = keeps }

    func entry(for key: CacheKey, allowingStaleness staleness: Duration, within deadline: Duration) async throws -> CacheEntry? {
        reads.withLock { $0.append("within \(deadline)") }
        throw CacheStoreError.timedOut("get", after: deadline)
    }

    func entry(for key: CacheKey, allowingStaleness staleness: Duration) async throws -> CacheEntry? {
        reads.withLock { $0.append("plain") }
        try? await Task.sleep(for: .seconds(3600))
        return nil
    }
    func setEntry(_ entry: CacheEntry, for key: CacheKey) async throws {}
    func removeEntry(for key: CacheKey) async throws -> Bool { false }
    func removeEntries(matching filter: CachePurgeFilter) async throws -> Int { 0 }
    func statistics() async throws -> CacheStoreStatistics { CacheStoreStatistics() }
}
