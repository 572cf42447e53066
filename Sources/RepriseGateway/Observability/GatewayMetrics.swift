import Metrics
import Reprise

/// The gateway's Prometheus metrics. Labels are bounded: route patterns, cache statuses, store
/// operations — never a model name a client typed, a prompt or a credential.
struct GatewayMetrics: Sendable {
    let factory: any MetricsFactory

    func record(_ outcome: RequestOutcome, overhead: Duration) {
        let route = outcome.route
        Counter(label: "reprise_requests_total", dimensions: [("route", route), ("cache_status", outcome.status.rawValue)], factory: factory)
            .increment()
        Timer(label: "reprise_gateway_overhead_seconds", dimensions: [("route", route), ("cache_status", outcome.status.rawValue)], factory: factory)
            .record(duration: overhead)
        if let upstream = outcome.upstreamLatency {
            Timer(label: "reprise_upstream_duration_seconds", dimensions: [("route", route)], factory: factory).record(duration: upstream)
        }
        switch outcome.status {
        case .hit, .coalesced, .stale:
            Counter(label: "reprise_tokens_saved_total", dimensions: [("route", route)], factory: factory)
                .increment(by: outcome.usage.totalTokens)
            FloatingPointCounter(label: "reprise_dollars_saved_total", dimensions: [("route", route)], factory: factory)
                .increment(by: outcome.cost.dollars)
        case .shadow:
            FloatingPointCounter(label: "reprise_shadow_dollars_saved_total", dimensions: [("route", route)], factory: factory)
                .increment(by: outcome.shadowSavings?.cost.dollars ?? 0)
        default:
            break
        }
        if outcome.calledUpstream {
            FloatingPointCounter(label: "reprise_upstream_dollars_total", dimensions: [("route", route)], factory: factory)
                .increment(by: outcome.cost.dollars)
            Counter(label: "reprise_upstream_tokens_total", dimensions: [("route", route)], factory: factory)
                .increment(by: outcome.usage.totalTokens)
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
    }
}
