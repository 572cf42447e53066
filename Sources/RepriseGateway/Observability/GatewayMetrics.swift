import Metrics
import Reprise

/// The gateway's Prometheus metrics. Labels are bounded: route patterns, cache statuses, store
/// operations — never a model name a client typed, a prompt or a credential.
///
/// Every handle is made once, up front, for every route and status, so recording a request touches no
/// registry lock on the hot path.
final class GatewayMetrics: Sendable {
    private struct RouteStatus: Hashable {
        var route: String
        var status: RequestOutcome.Status
    }

    private struct RouteHandles: Sendable {
        let upstreamDuration: Timer
        let tokensSaved: Counter
        let dollarsSaved: FloatingPointCounter
        let shadowDollarsSaved: FloatingPointCounter
        let upstreamDollars: FloatingPointCounter
        let upstreamTokens: Counter
        /// Provider prompt-cache tokens and dollars, by who placed the breakpoints (`client`, `gateway`).
        let promptCache: [String: PromptCacheHandles]
    }

    private struct PromptCacheHandles: Sendable {
        let readTokens: Counter
        let writeTokens: Counter
        let savedDollars: FloatingPointCounter
        let writeDollars: FloatingPointCounter

        init(dimensions: [(String, String)], factory: any MetricsFactory) {
            readTokens = Counter(label: "reprise_provider_cache_read_tokens_total", dimensions: dimensions, factory: factory)
            writeTokens = Counter(label: "reprise_provider_cache_write_tokens_total", dimensions: dimensions, factory: factory)
            savedDollars = FloatingPointCounter(label: "reprise_provider_cache_saved_dollars_total", dimensions: dimensions, factory: factory)
            writeDollars = FloatingPointCounter(label: "reprise_provider_cache_write_dollars_total", dimensions: dimensions, factory: factory)
        }
    }

    private let requests: [RouteStatus: Counter]
    /// Upstream calls by upstream name (bounded: the configured upstreams).
    private let upstreamCalls: [String: Counter]
    private let overhead: [RouteStatus: Timer]
    private let routes: [String: RouteHandles]
    private let factory: any MetricsFactory

    init(factory: any MetricsFactory, routes routeNames: Set<String>, upstreams: [String] = []) {
        self.factory = factory
        self.upstreamCalls = Dictionary(uniqueKeysWithValues: upstreams.map { name in
            (name, Counter(label: "reprise_upstream_requests_total", dimensions: [("upstream", name)], factory: factory))
        })
        var requests: [RouteStatus: Counter] = [:]
        var overhead: [RouteStatus: Timer] = [:]
        var routes: [String: RouteHandles] = [:]
        for route in routeNames {
            for status in RequestOutcome.Status.allCases {
                let key = RouteStatus(route: route, status: status)
                let dimensions = [("route", route), ("cache_status", status.rawValue)]
                requests[key] = Counter(label: "reprise_requests_total", dimensions: dimensions, factory: factory)
                overhead[key] = Timer(label: "reprise_gateway_overhead_seconds", dimensions: dimensions, factory: factory)
            }
            let dimensions = [("route", route)]
            routes[route] = RouteHandles(
                upstreamDuration: Timer(label: "reprise_upstream_duration_seconds", dimensions: dimensions, factory: factory),
                tokensSaved: Counter(label: "reprise_tokens_saved_total", dimensions: dimensions, factory: factory),
                dollarsSaved: FloatingPointCounter(label: "reprise_dollars_saved_total", dimensions: dimensions, factory: factory),
                shadowDollarsSaved: FloatingPointCounter(label: "reprise_shadow_dollars_saved_total", dimensions: dimensions, factory: factory),
                upstreamDollars: FloatingPointCounter(label: "reprise_upstream_dollars_total", dimensions: dimensions, factory: factory),
                upstreamTokens: Counter(label: "reprise_upstream_tokens_total", dimensions: dimensions, factory: factory),
                promptCache: Dictionary(uniqueKeysWithValues: ["client", "gateway"].map { placer in
                    (placer, PromptCacheHandles(dimensions: [("route", route), ("breakpoints", placer)], factory: factory))
                }))
        }
        self.requests = requests
        self.overhead = overhead
        self.routes = routes
    }

    func record(_ outcome: RequestOutcome, overhead duration: Duration) {
        let key = RouteStatus(route: outcome.route, status: outcome.status)
        requests[key]?.increment()
        overhead[key]?.record(duration: duration)
        guard let handles = routes[outcome.route] else { return }
        if let upstream = outcome.upstreamLatency { handles.upstreamDuration.record(duration: upstream) }
        switch outcome.status {
        case .hit, .semanticHit, .coalesced, .stale:
            handles.tokensSaved.increment(by: outcome.usage.totalTokens)
            handles.dollarsSaved.add(outcome.cost.dollars)
        case .shadow:
            handles.shadowDollarsSaved.add(outcome.shadowSavings?.cost.dollars ?? 0)
        default:
            break
        }
        if outcome.calledUpstream {
            if let upstream = outcome.upstream { upstreamCalls[upstream]?.increment() }
            handles.upstreamDollars.add(outcome.cost.dollars)
            handles.upstreamTokens.increment(by: outcome.usage.totalTokens)
            let effect = outcome.promptCache
            if effect.readTokens > 0 || effect.writeTokens > 0,
                let cache = handles.promptCache[outcome.addedBreakpoints > 0 ? "gateway" : "client"]
            {
                cache.readTokens.increment(by: effect.readTokens)
                cache.writeTokens.increment(by: effect.writeTokens)
                cache.savedDollars.add(effect.savedDollars)
                cache.writeDollars.add(effect.writeDollars)
            }
        }
    }

    func recordStoreError(operation: String) {
        Counter(label: "reprise_store_errors_total", dimensions: [("operation", operation)], factory: factory).increment()
    }

    func recordStore(_ statistics: CacheStoreStatistics) {
        Gauge(label: "reprise_store_entries", factory: factory).record(statistics.entries)
        Gauge(label: "reprise_store_bytes", factory: factory).record(statistics.bytes)
        Gauge(label: "reprise_store_evictions", factory: factory).record(statistics.evictions)
        Gauge(label: "reprise_store_expirations", factory: factory).record(statistics.expirations)
        Gauge(label: "reprise_store_unreadable_entries", factory: factory).record(statistics.unreadableEntries)
        Gauge(label: "reprise_store_oversized_entries", factory: factory).record(statistics.oversizedEntries)
    }
}

extension FloatingPointCounter {
    /// Adds `dollars` when it is a positive finite amount: a price file can make a saving negative, and the
    /// counter traps on a negative or NaN increment.
    fileprivate func add(_ dollars: Double) {
        if dollars.isFinite, dollars > 0 { increment(by: dollars) }
    }
}
