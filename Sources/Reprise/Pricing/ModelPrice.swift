/// What one model costs, in US dollars per million tokens.
public struct ModelPrice: Sendable, Hashable, Codable {
    /// The provider that sells the model, such as `openai` or `anthropic`.
    public var provider: String
    /// Input tokens.
    public var input: Double
    /// Input tokens read from the provider's prompt cache; `nil` when the provider has no such discount.
    public var cachedInput: Double?
    /// Input tokens written to the provider's prompt cache (Anthropic's 5-minute cache).
    public var cacheWrite: Double?
    /// Input tokens written to the provider's 1-hour prompt cache.
    public var cacheWriteOneHour: Double?
    /// Output tokens.
    public var output: Double

    public init(
        provider: String, input: Double, cachedInput: Double? = nil, cacheWrite: Double? = nil,
        cacheWriteOneHour: Double? = nil, output: Double
    ) {
        self.provider = provider
        self.input = input
        self.cachedInput = cachedInput
        self.cacheWrite = cacheWrite
        self.cacheWriteOneHour = cacheWriteOneHour
        self.output = output
    }

    /// The dollars `usage` costs at these prices: input tokens read from the provider's prompt cache at
    /// ``cacheReadPrice``, tokens written to it at ``cacheWritePrice(oneHour:)``, the rest at ``input``.
    public func dollars(for usage: TokenUsage) -> Double {
        let reads = min(usage.cachedPromptTokens, usage.promptTokens)
        let oneHour = min(usage.cacheWriteOneHourTokens, usage.promptTokens - reads)
        let fiveMinute = min(usage.cacheWriteFiveMinuteTokens, usage.promptTokens - reads - oneHour)
        let uncached = usage.promptTokens - reads - oneHour - fiveMinute
        let uncachedDollars = Double(uncached) * input
        let readDollars = Double(reads) * cacheReadPrice
        let writeDollars = Double(fiveMinute) * cacheWritePrice(oneHour: false) + Double(oneHour) * cacheWritePrice(oneHour: true)
        return (uncachedDollars + readDollars + writeDollars + Double(usage.completionTokens) * output) / 1_000_000
    }
}
