import Logging
import Metrics
import Synchronization

/// Keeps a network store from slowing or failing requests: every operation has a deadline, and a circuit
/// breaker stops asking a store that keeps failing until a probe finds it healthy again.
///
/// Failures (errors, deadlines) are thrown as ``CacheStoreError`` so the gateway answers from
/// upstream with `X-Reprise-Status: bypass` (and ``ResponseCache`` calls the API itself). A store that hangs does not hold the request: the
/// operation is abandoned at its deadline (and cancelled) while the request goes on. Reads of a store that
/// keeps deadlines itself (``DeadlineKeepingCacheStore``, a single Redis server) are given the
/// deadline instead of being raced in a task of their own, which costs less on every hit.
///
/// Metrics: `reprise_store_failures_total{operation, kind}` (operation: get, set, remove, purge, stats;
/// kind: timeout, unavailable, protocol, other) and `reprise_store_circuit_state` (0 closed, 1 half-open,
/// 2 open). Each state change is logged.
public final class ResilientCacheStore: CacheStore {
    /// Default deadline per operation: 50 ms.
    public static let defaultDeadline: Duration = .milliseconds(50)

    private let store: any CacheStore
    /// The store, when it keeps read deadlines itself: reads then skip the race in a task of their own.
    private let deadlineKeeper: (any DeadlineKeepingCacheStore)?
    private let deadline: Duration
    private let clock: any EpochClock
    private let logger: Logger
    private let breaker: Mutex<CircuitBreakerStateMachine>
    private let circuitGauge: Gauge
    private let metricsFactory: any MetricsFactory
    private let timer: any DeadlineTimer

    /// - Parameters:
    ///   - store: the store to protect.
    ///   - deadline: how long one operation may take.
    ///   - failureThreshold: consecutive failures that open the breaker.
    ///   - baseBackoff: how long the breaker stays open the first time; doubles on each failed probe.
    ///   - maximumBackoff: the longest the breaker stays open.
    ///   - clock: the clock the backoff is measured on.
    ///   - timer: starts each operation's deadline timer.
    ///   - metricsFactory: where the failure counter and circuit gauge go.
    public init(
        wrapping store: any CacheStore, deadline: Duration = ResilientCacheStore.defaultDeadline, failureThreshold: Int = 5,
        baseBackoff: Duration = .seconds(1), maximumBackoff: Duration = .seconds(60), clock: any EpochClock,
        timer: any DeadlineTimer = DispatchDeadlineTimer(), logger: Logger, metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.timer = timer
        self.store = store
        self.deadlineKeeper = (store as? any DeadlineKeepingCacheStore).flatMap { $0.keepsReadDeadlines ? $0 : nil }
        self.deadline = deadline
        self.clock = clock
        self.logger = logger
        self.breaker = Mutex(CircuitBreakerStateMachine(failureThreshold: failureThreshold, baseBackoff: baseBackoff, maximumBackoff: maximumBackoff))
        self.metricsFactory = metricsFactory
        self.circuitGauge = Gauge(label: "reprise_store_circuit_state", factory: metricsFactory)
        circuitGauge.record(0)
    }

    public var countsEntriesExactly: Bool { store.countsEntriesExactly }

    public func entry(for key: CacheKey, allowingStaleness staleness: Duration) async throws -> CacheEntry? {
        if let deadlineKeeper {
            let deadline = self.deadline
            return try await guarded("get", racing: false) {
                try await deadlineKeeper.entry(for: key, allowingStaleness: staleness, within: deadline)
            }
        }
        return try await guarded("get") { [store] in try await store.entry(for: key, allowingStaleness: staleness) }
    }

    public func setEntry(_ entry: CacheEntry, for key: CacheKey) async throws {
        try await guarded("set") { [store] in try await store.setEntry(entry, for: key) }
    }

    @discardableResult
    public func removeEntry(for key: CacheKey) async throws -> Bool {
        try await guarded("remove") { [store] in try await store.removeEntry(for: key) }
    }

    /// Purges are administrative and may touch every entry, so they get ten times the deadline.
    @discardableResult
    public func removeEntries(matching filter: CachePurgeFilter) async throws -> Int {
        try await guarded("purge", deadline: deadline * 10) { [store] in try await store.removeEntries(matching: filter) }
    }

    public func statistics() async throws -> CacheStoreStatistics {
        try await guarded("stats", deadline: deadline * 10) { [store] in try await store.statistics() }
    }

    /// The breaker's state now: closed, half-open or open.
    public var circuitState: String { breaker.withLock { $0.state.name } }

    /// Runs `body` behind the circuit breaker and, with `racing`, against the deadline (without, `body`
    /// keeps the deadline itself).
    private func guarded<T: Sendable>(
        _ operation: String, deadline: Duration? = nil, racing: Bool = true, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let permission = breaker.withLock { $0.permission(at: clock.now) }
        if case .refuse(let retryAfter) = permission { throw CacheStoreError.circuitOpen(retryAfter: retryAfter) }
        if permission == .probe { changed(to: breaker.withLock { $0.state }) }
        do {
            let result = racing ? try await DeadlineRace.run(operation, deadline: deadline ?? self.deadline, timer: timer, body) : try await body()
            if let state = breaker.withLock({ $0.recordSuccess() }) { changed(to: state) }
            return result
        } catch let error as CacheStoreError where error.isUnsupported {
            // The store works; it cannot do this. Not a failure of the store.
            if let state = breaker.withLock({ $0.recordSuccess() }) { changed(to: state) }
            throw error
        } catch {
            let failure = error as? CacheStoreError ?? .unavailable("(wrapped)", reason: "\(error)")
            Counter(
                label: "reprise_store_failures_total", dimensions: [("operation", operation), ("kind", failure.kind)],
                factory: metricsFactory
            ).increment()
            if let state = breaker.withLock({ $0.recordFailure(at: clock.now) }) { changed(to: state) }
            throw failure
        }
    }

    private func changed(to state: CircuitBreakerStateMachine.State) {
        circuitGauge.record(state.gaugeValue)
        switch state {
        case .open(let until, let trips):
            logger.warning(
                "Cache store circuit opened; requests bypass the cache",
                metadata: ["Reprise.store.circuit": "open", "Reprise.store.retry_in": "\(clock.now.duration(to: until))", "Reprise.store.trips": "\(trips)"])
        case .halfOpen:
            logger.notice("Cache store circuit half-open; probing the store", metadata: ["Reprise.store.circuit": "half-open"])
        case .closed:
            logger.notice("Cache store circuit closed; the store answers again", metadata: ["Reprise.store.circuit": "closed"])
        }
    }
}
