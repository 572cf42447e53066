import Metrics

/// The semantic layer's Prometheus series. Labels are fixed sets: lookup results, guard names, verification
/// outcomes.
public struct SemanticMetrics: Sendable {
    /// What one semantic lookup came to.
    public enum LookupResult: String, CaseIterable, Sendable {
        case hit, miss, vetoed, failed
    }

    private let lookups: [LookupResult: Counter]
    private let vetoes: [SemanticGuard: Counter]
    private let verifications: [SemanticVerification.Outcome: Counter]
    private let falseHitRate: Gauge
    private let falseHitRateUpper: Gauge
    private let scopeListErrors: Counter
    private let indexingSkipped: Counter

    public init(factory: any MetricsFactory) {
        lookups = Dictionary(uniqueKeysWithValues: LookupResult.allCases.map {
            ($0, Counter(label: "reprise_semantic_lookups_total", dimensions: [("result", $0.rawValue)], factory: factory))
        })
        vetoes = Dictionary(uniqueKeysWithValues: SemanticGuard.allCases.map {
            ($0, Counter(label: "reprise_semantic_vetoes_total", dimensions: [("guard", $0.rawValue)], factory: factory))
        })
        verifications = Dictionary(uniqueKeysWithValues: SemanticVerification.Outcome.allCases.map {
            ($0, Counter(label: "reprise_semantic_verifications_total", dimensions: [("outcome", $0.rawValue)], factory: factory))
        })
        falseHitRate = Gauge(label: "reprise_semantic_false_hit_rate", factory: factory)
        falseHitRateUpper = Gauge(label: "reprise_semantic_false_hit_rate_upper", factory: factory)
        scopeListErrors = Counter(label: "reprise_semantic_scope_list_errors_total", factory: factory)
        indexingSkipped = Counter(label: "reprise_semantic_indexing_skipped_total", factory: factory)
    }

    public func recordIndexingSkipped() { indexingSkipped.increment() }

    public func recordLookup(_ result: LookupResult) { lookups[result]?.increment() }
    public func recordVeto(_ vetoing: SemanticGuard) { vetoes[vetoing]?.increment() }
    public func recordScopeListError() { scopeListErrors.increment() }

    public func recordVerification(_ outcome: SemanticVerification.Outcome, tally: SemanticVerification.Tally) {
        verifications[outcome]?.increment()
        if let estimate = tally.falseHitRate {
            falseHitRate.record(estimate.rate)
            falseHitRateUpper.record(estimate.upper)
        }
    }
}
