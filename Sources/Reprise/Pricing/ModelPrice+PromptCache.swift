extension ModelPrice {
    /// Whether the provider prices its prompt cache by ``PromptCacheMultipliers`` (Anthropic).
    var pricesCacheByMultipliers: Bool { provider.lowercased() == "anthropic" }

    /// Dollars per million input tokens read from the provider's prompt cache: 0.1× input for Anthropic,
    /// the model's ``cachedInput`` price for others (the input price when it has none).
    public var cacheReadPrice: Double {
        pricesCacheByMultipliers ? input * PromptCacheMultipliers.anthropicRead : cachedInput ?? input
    }

    /// Dollars per million input tokens written to the provider's prompt cache: 1.25× input (5 minutes) or
    /// 2× (1 hour) for Anthropic; for providers without a write fee, the input price.
    public func cacheWritePrice(oneHour: Bool) -> Double {
        guard pricesCacheByMultipliers else { return input }
        return input * (oneHour ? PromptCacheMultipliers.anthropicOneHourWrite : PromptCacheMultipliers.anthropicFiveMinuteWrite)
    }

    /// What the provider's prompt cache changed in the price of `usage`, against sending every input token
    /// uncached.
    public func promptCacheEffect(of usage: TokenUsage) -> PromptCacheEffect {
        let reads = Double(usage.cachedPromptTokens)
        let oneHour = Double(usage.cacheWriteOneHourTokens)
        let fiveMinute = Double(usage.cacheWriteFiveMinuteTokens)
        let surcharge = fiveMinute * (cacheWritePrice(oneHour: false) - input) + oneHour * (cacheWritePrice(oneHour: true) - input)
        return PromptCacheEffect(
            readTokens: usage.cachedPromptTokens, writeTokens: usage.cacheWriteTokens,
            savedDollars: reads * (input - cacheReadPrice) / 1_000_000, writeDollars: surcharge / 1_000_000)
    }
}

/// The provider prompt cache's part in one answer's price: tokens read and written, what reading saved and
/// what writing cost on top of the input price. Kept apart from what the response cache saved.
public struct PromptCacheEffect: Sendable, Hashable {
    public var readTokens: Int
    public var writeTokens: Int
    /// Dollars the cache reads saved against the input price.
    public var savedDollars: Double
    /// Dollars the cache writes cost above the input price (zero for OpenAI).
    public var writeDollars: Double

    public init(readTokens: Int = 0, writeTokens: Int = 0, savedDollars: Double = 0, writeDollars: Double = 0) {
        self.readTokens = readTokens
        self.writeTokens = writeTokens
        self.savedDollars = savedDollars
        self.writeDollars = writeDollars
    }

    /// Saved minus the write surcharge: negative when the writes were never read back enough.
    public var netDollars: Double { savedDollars - writeDollars }

    public static func + (lhs: PromptCacheEffect, rhs: PromptCacheEffect) -> PromptCacheEffect {
        PromptCacheEffect(
            readTokens: lhs.readTokens.addingSaturating(rhs.readTokens), writeTokens: lhs.writeTokens.addingSaturating(rhs.writeTokens),
            savedDollars: lhs.savedDollars + rhs.savedDollars, writeDollars: lhs.writeDollars + rhs.writeDollars)
    }
}
