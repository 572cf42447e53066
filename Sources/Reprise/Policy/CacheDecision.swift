/// What the policy decided for one request: whether a cached answer may be served, whether the fresh
/// answer may be stored, and for how long.
public struct CacheDecision: Sendable, Hashable {
    /// Whether to look the request up in the cache.
    public var mayServe: Bool
    /// Whether to store the upstream's answer.
    public var mayStore: Bool
    /// How long a stored answer lives.
    public var timeToLive: Duration
    /// The oldest entry the client accepts (`Cache-Control: max-age`).
    public var maximumAge: Duration?
    /// Why caching is skipped entirely, such as `rule 2` or `personal-data`; `nil` when it is not.
    public var bypassReason: String?
    /// What the volatility detector found, if anything.
    public var volatility: VolatilityDetector.Finding?
    /// The similarity a semantic match needs, or `nil` when only an exact match may be served.
    public var semanticThreshold: Float?
    /// Whether the stored answer may be offered to later requests' semantic lookups: not when a rule or the
    /// client turned semantic matching off for this request, nor when the volatility detector found
    /// anything in it.
    public var semanticallyIndexable = true

    public init(
        mayServe: Bool, mayStore: Bool, timeToLive: Duration, maximumAge: Duration? = nil,
        bypassReason: String? = nil, volatility: VolatilityDetector.Finding? = nil, semanticThreshold: Float? = nil
    ) {
        self.mayServe = mayServe
        self.mayStore = mayStore
        self.timeToLive = timeToLive
        self.maximumAge = maximumAge
        self.bypassReason = bypassReason
        self.volatility = volatility
        self.semanticThreshold = semanticThreshold
    }

    /// Whether the cache is skipped in both directions.
    public var isBypass: Bool { bypassReason != nil }

    /// A decision that skips the cache for `reason`.
    public static func bypass(_ reason: String, volatility: VolatilityDetector.Finding? = nil) -> CacheDecision {
        CacheDecision(mayServe: false, mayStore: false, timeToLive: .zero, bypassReason: reason, volatility: volatility)
    }
}
