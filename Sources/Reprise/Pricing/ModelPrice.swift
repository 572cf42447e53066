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

    /// The dollars `usage` costs at these prices. Cached input tokens are billed at ``cachedInput``
    /// (at ``input`` when the model has no cached price).
    public func dollars(for usage: TokenUsage) -> Double {
        let cached = min(usage.cachedPromptTokens, usage.promptTokens)
        let uncached = usage.promptTokens - cached
        let inputDollars = Double(uncached) * input + Double(cached) * (cachedInput ?? input)
        return (inputDollars + Double(usage.completionTokens) * output) / 1_000_000
    }
}
