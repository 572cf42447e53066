import Reprise
import Synchronization

/// Running totals since the gateway started, for `/admin/stats`.
final class GatewayStatistics: Sendable {
    struct Totals: Sendable {
        var requests = 0
        var hits = 0
        var semanticHits = 0
        var misses = 0
        var bypassed = 0
        var shadowWouldHit = 0
        var coalesced = 0
        var stale = 0
        var errors = 0
        var upstreamCalls = 0
        var upstreamDollars = 0.0
        var savedPromptTokens = 0
        var savedCompletionTokens = 0
        var savedDollars = 0.0
        var shadowSavedTokens = 0
        var shadowSavedDollars = 0.0
        var unpricedModels: Set<String> = []
        /// What the providers' prompt caches did in the gateway's upstream calls.
        var promptCache = PromptCacheEffect()
        /// The part of ``promptCache`` in calls where the gateway added the breakpoints.
        var breakpointPromptCache = PromptCacheEffect()
        /// Requests the gateway added breakpoints to.
        var breakpointRequests = 0
    }

    /// The most unpriced model names remembered, so hostile input cannot grow the set without bound.
    static let unpricedModelLimit = 100

    private let totals = Mutex(Totals())
    let startedAt: EpochInstant

    init(startedAt: EpochInstant) {
        self.startedAt = startedAt
    }

    var snapshot: Totals { totals.withLock { $0 } }

    func record(_ outcome: RequestOutcome) {
        totals.withLock { totals in
            totals.requests += 1
            switch outcome.status {
            case .hit, .semanticHit, .coalesced, .stale:
                if outcome.status == .hit { totals.hits += 1 }
                if outcome.status == .semanticHit { totals.semanticHits += 1 }
                if outcome.status == .coalesced { totals.coalesced += 1 }
                if outcome.status == .stale { totals.stale += 1 }
                totals.savedPromptTokens.addSaturating(outcome.usage.promptTokens)
                totals.savedCompletionTokens.addSaturating(outcome.usage.completionTokens)
                totals.savedDollars += outcome.cost.dollars
            case .shadow:
                totals.shadowWouldHit += 1
                totals.shadowSavedTokens.addSaturating(outcome.shadowSavings?.usage.totalTokens ?? 0)
                totals.shadowSavedDollars += outcome.shadowSavings?.cost.dollars ?? 0
            case .miss: totals.misses += 1
            case .bypass: totals.bypassed += 1
            case .error: break
            }
            if outcome.httpStatus >= 400 { totals.errors += 1 }
            if outcome.calledUpstream {
                totals.upstreamCalls += 1
                totals.upstreamDollars += outcome.cost.dollars
                totals.promptCache = totals.promptCache + outcome.promptCache
                if outcome.addedBreakpoints > 0 {
                    totals.breakpointRequests += 1
                    totals.breakpointPromptCache = totals.breakpointPromptCache + outcome.promptCache
                }
            }
            if !outcome.cost.isPriced, let model = outcome.model, totals.unpricedModels.count < Self.unpricedModelLimit {
                totals.unpricedModels.insert(model)
            }
        }
    }
}
