/// The shortest time to live worth configuring: the shortest of the sweep that captures at least
/// ``requiredShare`` (90%) of what an unlimited cache would save, and what the default 5 minutes captures.
///
/// Savings are compared in dollars when the log is priced, else in tokens, else in hits.
public struct TimeToLiveRecommendation: Sendable, Hashable {
    /// The share of the unlimited cache's savings the recommended TTL must reach.
    public static let requiredShare = 0.9

    /// The recommended TTL; `nil` when no TTL in the sweep reaches the required share (or nothing repeats).
    public var timeToLive: Duration?
    /// The share of the unlimited savings the recommended TTL captures.
    public var capturedShare: Double
    /// The share of the unlimited savings the default 5-minute TTL captures.
    public var defaultCapturedShare: Double
    /// What the shares are measured in: `dollars`, `tokens` or `hits`.
    public var measure: String

    /// Chooses from `outcomes`, which must include ``SimulatedPolicy/unlimited`` and the TTL sweep.
    public init(outcomes: [PolicyOutcome]) {
        let unlimited = outcomes.first { $0.policy == .unlimited } ?? PolicyOutcome(policy: .unlimited)
        let value: (PolicyOutcome) -> Double
        if unlimited.savedDollars > 0 {
            measure = "dollars"
            value = { $0.savedDollars }
        } else if unlimited.savedTokens > 0 {
            measure = "tokens"
            value = { Double($0.savedTokens) }
        } else {
            measure = "hits"
            value = { Double($0.hits) }
        }
        let ceiling = value(unlimited)
        func share(_ outcome: PolicyOutcome) -> Double { ceiling > 0 ? value(outcome) / ceiling : 0 }
        let sweep = outcomes.compactMap { outcome -> (Duration, PolicyOutcome)? in
            if case .timeToLive(let ttl) = outcome.policy { return (ttl, outcome) }
            return nil
        }.sorted { $0.0 < $1.0 }
        let chosen = ceiling > 0 ? sweep.first { share($0.1) >= Self.requiredShare - 1e-12 } : nil
        timeToLive = chosen?.0
        capturedShare = chosen.map { share($0.1) } ?? 0
        defaultCapturedShare = sweep.first { $0.0 == .seconds(300) }.map { share($0.1) } ?? 0
    }
}
