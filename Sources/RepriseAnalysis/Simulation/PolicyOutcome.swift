/// What one simulated cache policy would have done with the log.
public struct PolicyOutcome: Sendable, Hashable {
    public var policy: SimulatedPolicy
    public var requests: Int
    public var hits: Int
    public var savedTokens: Int
    public var savedDollars: Double
    /// Seconds of upstream latency the hits would have saved.
    public var savedLatency: Double
    /// Dollars saved by model number (``SimulatedRequest/model``), when the simulation was asked to keep them.
    public var savedDollarsByModel: [Int32: Double]?

    public init(policy: SimulatedPolicy, requests: Int = 0, hits: Int = 0, savedTokens: Int = 0, savedDollars: Double = 0, savedLatency: Double = 0) {
        self.policy = policy
        self.requests = requests
        self.hits = hits
        self.savedTokens = savedTokens
        self.savedDollars = savedDollars
        self.savedLatency = savedLatency
    }

    /// Hits over requests.
    public var hitRate: Double { requests == 0 ? 0 : Double(hits) / Double(requests) }

    mutating func count(_ request: SimulatedRequest, hit: Bool) {
        requests += 1
        guard hit else { return }
        hits += 1
        savedTokens += request.tokens
        savedDollars += request.dollars
        savedLatency += request.latency
        if savedDollarsByModel != nil { savedDollarsByModel?[request.model, default: 0] += request.dollars }
    }
}
