import Metrics

/// Why the gateway closed a client connection itself, counted in `reprise_connections_closed_total`.
enum ConnectionCloseReason: String, Sendable, CaseIterable {
    case headTimeout = "head_timeout"
    case bodyTimeout = "body_timeout"
    case idleTimeout = "idle_timeout"
    /// Closed to make room for a new connection at `server.max_connections`.
    case evicted
    /// Refused at `server.max_connections` with every connection busy.
    case refused
    /// A request refused before its body was read (a declared body over the limit).
    case refusedRequest = "refused_request"
}

/// The connection counters: bounded labels, one per reason.
struct ConnectionMetrics: Sendable {
    private let closed: [ConnectionCloseReason: Counter]
    private let open: Gauge

    init(factory: any MetricsFactory) {
        var closed: [ConnectionCloseReason: Counter] = [:]
        for reason in ConnectionCloseReason.allCases {
            closed[reason] = Counter(label: "reprise_connections_closed_total", dimensions: [("reason", reason.rawValue)], factory: factory)
        }
        self.closed = closed
        self.open = Gauge(label: "reprise_connections_open", factory: factory)
    }

    func closed(_ reason: ConnectionCloseReason) {
        closed[reason]?.increment()
    }

    func recordOpen(_ count: Int) {
        open.record(count)
    }
}
