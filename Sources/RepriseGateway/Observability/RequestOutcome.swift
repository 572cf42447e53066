import Reprise

/// What happened to one request on a cached route, recorded once in statistics, metrics and the log.
struct RequestOutcome: Sendable {
    enum Status: String, Sendable, CaseIterable {
        case hit, miss, bypass, shadow, coalesced, stale
        /// Answered by an entry stored for a similar request.
        case semanticHit = "semantic-hit"
        /// The request was refused before reaching the cache (bad input, bad credentials).
        case error
    }

    var route: String
    var model: String?
    /// The name of the upstream that answered, when one was called.
    var upstream: String?
    var namespace: String?
    var key: CacheKey?
    var status: Status
    var httpStatus: Int
    /// Tokens of the answer: spent on a miss, saved on a hit.
    var usage = TokenUsage()
    /// Dollars of the answer: spent on a miss, saved on a hit (would-be saved in shadow mode).
    var cost = Cost.unpriced
    var calledUpstream = false
    var stream = false
    var latency: Duration = .zero
    var upstreamLatency: Duration?
    var reason: String?
    /// What the provider's prompt cache read, wrote, saved and cost in this request's own upstream call.
    var promptCache = PromptCacheEffect()
    /// How many prompt-cache breakpoints the gateway added to the request.
    var addedBreakpoints = 0
    /// What the cache would have saved, when shadow mode found an entry.
    var shadowSavings: Savings?
    /// On a semantic hit (or a semantic match in shadow mode): the entry's key and the similarity.
    var matchedKey: CacheKey?
    var similarity: Float?
}

/// Tokens and dollars a cached answer is worth.
struct Savings: Sendable {
    var usage: TokenUsage
    var cost: Cost
}
