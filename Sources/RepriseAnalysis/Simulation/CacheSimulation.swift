/// Replays requests, in time order, through several simulated caches at once: time-to-live policies
/// (entries expire a fixed time after they were stored, as in the gateway; a hit does not extend them),
/// the unlimited cache, and size-bounded least-recently-used caches.
///
/// A request the policy bypasses is a miss and is never stored. Requests must arrive in time order
/// (``CacheSimulation/run(_:policies:)`` sorts them).
public struct CacheSimulation: Sendable {
    private var timeToLiveCaches: [(seconds: Double, storedAt: [UInt64: Double], outcome: PolicyOutcome)] = []
    private var unlimited: (seen: Set<UInt64>, outcome: PolicyOutcome)?
    private var boundedCaches: [(cache: SimulatedLRU, outcome: PolicyOutcome)] = []
    private var order: [SimulatedPolicy] = []

    public init(policies: [SimulatedPolicy]) {
        for policy in policies {
            order.append(policy)
            switch policy {
            case .timeToLive(let ttl):
                timeToLiveCaches.append((Double(ttl.components.seconds) + Double(ttl.components.attoseconds) / 1e18, [:], PolicyOutcome(policy: policy)))
            case .unlimited:
                unlimited = ([], PolicyOutcome(policy: policy))
            case .entries(let count):
                boundedCaches.append((SimulatedLRU(entryLimit: count), PolicyOutcome(policy: policy)))
            case .bytes(let bytes):
                boundedCaches.append((SimulatedLRU(byteLimit: bytes), PolicyOutcome(policy: policy)))
            }
        }
    }

    /// Replays one request through every cache.
    /// - Complexity: O(p) in the number of policies, amortized.
    public mutating func replay(_ request: SimulatedRequest) {
        for index in timeToLiveCaches.indices {
            var hit = false
            if !request.bypass {
                if let stored = timeToLiveCaches[index].storedAt[request.key], request.time - stored < timeToLiveCaches[index].seconds {
                    hit = true
                } else {
                    timeToLiveCaches[index].storedAt[request.key] = request.time
                }
            }
            timeToLiveCaches[index].outcome.count(request, hit: hit)
        }
        if unlimited != nil {
            let hit = !request.bypass && !unlimited!.seen.insert(request.key).inserted
            unlimited!.outcome.count(request, hit: hit)
        }
        for index in boundedCaches.indices {
            let hit = !request.bypass && boundedCaches[index].cache.access(request.key, size: request.size)
            boundedCaches[index].outcome.count(request, hit: hit)
        }
    }

    /// The outcome of every policy, in the order they were given.
    public var outcomes: [PolicyOutcome] {
        var byPolicy: [SimulatedPolicy: PolicyOutcome] = [:]
        for cache in timeToLiveCaches { byPolicy[cache.outcome.policy] = cache.outcome }
        if let unlimited { byPolicy[.unlimited] = unlimited.outcome }
        for cache in boundedCaches { byPolicy[cache.outcome.policy] = cache.outcome }
        return order.compactMap { byPolicy[$0] }
    }

    /// Dollars that `policy` saves on each model's requests, by the model numbers of ``SimulatedRequest/model``.
    public static func savedDollarsByModel(_ requests: [SimulatedRequest], policy: SimulatedPolicy) -> [Int32: Double] {
        var simulation = CacheSimulation(policies: [policy])
        simulation.tallyByModel()
        for request in inTimeOrder(requests) { simulation.replay(request) }
        return simulation.outcomes.first?.savedDollarsByModel ?? [:]
    }

    /// Makes every policy's outcome tally its savings by model too.
    private mutating func tallyByModel() {
        for index in timeToLiveCaches.indices { timeToLiveCaches[index].outcome.savedDollarsByModel = [:] }
        unlimited?.outcome.savedDollarsByModel = [:]
        for index in boundedCaches.indices { boundedCaches[index].outcome.savedDollarsByModel = [:] }
    }

    /// `requests` sorted by time, stably; as they are when a log is already in time order, as most are.
    static func inTimeOrder(_ requests: [SimulatedRequest]) -> [SimulatedRequest] {
        if zip(requests, requests.dropFirst()).allSatisfy({ $0.time <= $1.time }) { return requests }
        return requests.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    /// Sorts `requests` by time (stable, so requests without times keep file order) and replays them.
    public static func run(_ requests: [SimulatedRequest], policies: [SimulatedPolicy]) -> [PolicyOutcome] {
        var simulation = CacheSimulation(policies: policies)
        for request in inTimeOrder(requests) { simulation.replay(request) }
        return simulation.outcomes
    }
}
