import Reprise

/// What the providers' own prompt caches would save on a log: for each model, the input tokens that sit in
/// a prefix shared with an earlier request still in the provider's cache (written or read within its
/// lifetime, 5 minutes by default) and at least its minimum cacheable length (1,024 tokens for most models),
/// priced at the provider's multipliers.
///
/// - Anthropic: a cache read costs 0.1× the input price; writing a prefix to the 5-minute cache costs
///   1.25×, so every newly cached prefix pays 0.25× extra (``PromptCacheMultipliers``).
/// - OpenAI and others with a cached-input price: cached tokens are billed at that price; no write fee.
public struct ProviderCacheEstimate: Sendable {
    /// The totals for one model.
    public struct ModelEstimate: Sendable, Hashable {
        public var requests = 0
        public var inputTokens = 0
        /// Input tokens that would be read from the provider's cache.
        public var cachedTokens = 0
        /// Input tokens that would be written to it (Anthropic's surcharge applies to these).
        public var writtenTokens = 0
        /// Dollars saved, net of any write surcharge.
        public var savedDollars = 0.0
        /// Whether any token count was estimated from text rather than read from the log.
        public var estimated = false

        public var cachedShare: Double { inputTokens == 0 ? 0 : Double(cachedTokens) / Double(inputTokens) }
    }

    public let lifetime: Double
    public let minimumTokens: Int
    public let prices: PriceTable
    public private(set) var models: [String: ModelEstimate] = [:]
    private var lastUsed: [String: [UInt64: Double]] = [:]

    public init(prices: PriceTable = .builtIn, lifetime: Duration = .seconds(300), minimumTokens: Int = 1024) {
        self.prices = prices
        self.lifetime = Double(lifetime.components.seconds)
        self.minimumTokens = minimumTokens
    }

    /// Counts one request at `time` (seconds); requests must come in time order.
    public mutating func add(_ prefixes: PromptPrefixes, model: String, time: Double) {
        var estimate = models[model] ?? ModelEstimate()
        let total = prefixes.links.last?.tokens ?? 0
        estimate.requests += 1
        estimate.inputTokens += total
        estimate.estimated = estimate.estimated || !prefixes.measured
        let cached = prefixes.links.last { link in
            link.tokens >= minimumTokens && lastUsed[model]?[link.digest].map { time - $0 < lifetime } == true
        }?.tokens ?? 0
        let written = total >= minimumTokens ? total - cached : 0
        // Updated in place: copying the model's table out and back would copy it on every request.
        for link in prefixes.links where link.tokens >= minimumTokens { lastUsed[model, default: [:]][link.digest] = time }
        estimate.cachedTokens += cached
        estimate.writtenTokens += written
        if cached > 0 || written > 0 { estimate.savedDollars += savings(model: model, cached: cached, written: written) }
        models[model] = estimate
    }

    /// Priced as the gateway prices real answers (``ModelPrice/promptCacheEffect(of:)``, with the multipliers
    /// of ``PromptCacheMultipliers``), writes going to the 5-minute cache.
    private func savings(model: String, cached: Int, written: Int) -> Double {
        guard let price = prices.price(for: model) else { return 0 }
        // Providers without a write fee are asked for reads only: their writes cost the input price.
        let usage = TokenUsage(promptTokens: cached + written, cachedPromptTokens: cached, cacheWriteTokens: written)
        return price.promptCacheEffect(of: usage).netDollars
    }
}
