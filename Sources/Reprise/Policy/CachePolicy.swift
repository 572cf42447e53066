/// Decides, per request, whether to serve from and store into the cache, and for how long.
///
/// The decision is made in this order:
/// 1. the first ``rules`` entry that matches sets the time to live or bypasses the cache (otherwise
///    ``defaultTimeToLive`` applies);
/// 2. `X-Reprise-TTL` replaces the time to live (`0` means do not store), but never undoes a bypass;
/// 3. the ``volatilityDetector``, when configured, can only shorten the time to live or bypass;
/// 4. `Cache-Control` from the client turns off serving (`no-cache`), storing (`no-store`) or limits the
///    age served (`max-age`);
/// 5. the time to live is capped at ``maximumTimeToLive``.
///
/// Semantic matching follows the matching rule's ``PolicyRule/semantic`` (else ``semantic``), then the
/// client's `X-Reprise-Semantic`; it is never allowed when the volatility detector found anything, when the
/// client sent `no-cache`, or when the cache is bypassed.
public struct CachePolicy: Sendable {
    /// Named volatility presets, usable in rules: `static` (24 h), `standard` (5 min), `volatile` (bypass).
    public static let builtInPresets: [String: PolicyRule.Action] = [
        "static": .timeToLive(.seconds(24 * 3600)),
        "standard": .timeToLive(.seconds(300)),
        "volatile": .bypass,
    ]

    /// The time to live when no rule sets one: 5 minutes.
    public var defaultTimeToLive: Duration
    /// The longest any entry lives, whatever a rule or a client asks.
    public var maximumTimeToLive: Duration
    /// Rules, first match wins.
    public var rules: [PolicyRule]
    /// The opt-in detector of time-sensitive and personal prompts.
    public var volatilityDetector: VolatilityDetector?
    /// Whether requests no rule speaks for may be answered semantically: off by default.
    public var semantic: SemanticPreference = .off
    /// The cosine similarity a semantic match needs when a rule or header says only `on`: 0.96, the
    /// threshold at which the evaluation in `docs/semantic-cache.md` keeps false hits at or under 1%.
    public var semanticThreshold: Float = 0.96

    public init(
        defaultTimeToLive: Duration = .seconds(300), maximumTimeToLive: Duration = .seconds(7 * 86400),
        rules: [PolicyRule] = [], volatilityDetector: VolatilityDetector? = nil
    ) {
        self.defaultTimeToLive = defaultTimeToLive
        self.maximumTimeToLive = maximumTimeToLive
        self.rules = rules
        self.volatilityDetector = volatilityDetector
    }

    /// The decision for `request` with the client's `controls`.
    public func decision(for request: PolicyRequest, controls: RequestControls) -> CacheDecision {
        var timeToLive = defaultTimeToLive
        var semanticPreference = semantic
        var semanticTurnedOff = false
        if let rule = rules.first(where: { $0.matches(request) }) {
            switch rule.action {
            case .bypass: return .bypass(rule.name)
            case .timeToLive(let ruleTimeToLive): timeToLive = ruleTimeToLive
            case .defaultTimeToLive: break
            }
            if let preference = rule.semantic {
                semanticPreference = preference
                semanticTurnedOff = preference == .off
            }
        }
        if let requested = controls.semantic {
            semanticPreference = requested
            semanticTurnedOff = requested == .off
        }
        if let requested = controls.timeToLive { timeToLive = requested }
        var volatility: VolatilityDetector.Finding? = nil
        if let detector = volatilityDetector, let finding = detector.finding(in: request.prompt) {
            let consequence = detector.consequence(of: finding)
            if consequence.action == .bypass { return .bypass(finding.kind, volatility: finding) }
            timeToLive = min(timeToLive, consequence.timeToLive)
            volatility = finding
        }
        timeToLive = min(timeToLive, maximumTimeToLive)
        let semanticThreshold = volatility == nil && !controls.noCache ? semanticPreference.threshold(default: self.semanticThreshold) : nil
        var decision = CacheDecision(
            mayServe: !controls.noCache, mayStore: !controls.noStore && timeToLive > .zero, timeToLive: timeToLive,
            maximumAge: controls.maximumAge, volatility: volatility, semanticThreshold: semanticThreshold)
        decision.semanticallyIndexable = volatility == nil && !semanticTurnedOff
        return decision
    }
}
