import Reprise

/// `reprise plan`: the advice for a team without logs yet, from what it expects its traffic to be.
public struct PlanScenario: Sendable, Hashable {
    public var monthlyRequests: Double
    public var inputTokensPerRequest: Double
    public var outputTokensPerRequest: Double
    public var model: String
    /// The share of requests expected to repeat an earlier one (identical, or similar where allowed).
    public var repeatRate: Double
    /// The share of those repeats the chosen TTL catches (1: all of them, as with a long TTL).
    public var capturedByTimeToLive: Double = 1
    /// The share of requests about the present or carrying personal data, which are never cached.
    public var volatileShare: Double = 0
    /// Input tokens per request that sit in a prefix shared by every request (system prompt, tools,
    /// few-shot examples): what provider prompt caching reads and fine-tuning removes.
    public var sharedPrefixTokens: Double = 0
    /// The fine-tuning case; its `removedInputShare` is ignored and derived from ``sharedPrefixTokens``.
    public var fineTuning: FineTuningCase

    public init(
        monthlyRequests: Double, inputTokensPerRequest: Double, outputTokensPerRequest: Double, model: String,
        repeatRate: Double, fineTuning: FineTuningCase
    ) {
        self.monthlyRequests = monthlyRequests
        self.inputTokensPerRequest = inputTokensPerRequest
        self.outputTokensPerRequest = outputTokensPerRequest
        self.model = model
        self.repeatRate = repeatRate
        self.fineTuning = fineTuning
    }

    /// The advice inputs at `prices`.
    /// - Throws: ``ConfigurationError`` when the model has no price (give one with a price file).
    public func adviceInputs(prices: PriceTable = .builtIn) throws -> AdviceInputs {
        guard let price = prices.price(for: model) else {
            throw ConfigurationError.invalidValue(
                "--model", in: "the command line", reason: "names '\(model)', which has no price; add it with a price file (--prices)")
        }
        let input = monthlyRequests * inputTokensPerRequest
        let output = monthlyRequests * outputTokensPerRequest
        let spend = (input * price.input + output * price.output) / 1_000_000
        let hitRate = max(0, min(1, repeatRate * capturedByTimeToLive * (1 - volatileShare)))
        // Every request after the first in each 5-minute window reads the shared prefix; at steady traffic,
        // nearly all of them. Only prefixes of 1,024 tokens and more are cached.
        let cachedPerRequest = sharedPrefixTokens >= 1024 ? sharedPrefixTokens : 0
        let missedInput = monthlyRequests * (1 - hitRate) * cachedPerRequest
        // Read at the provider's cache price (``PromptCacheMultipliers`` for Anthropic, the table's cached
        // input price for others).
        let providerSavings = missedInput * (price.input - price.cacheReadPrice) / 1_000_000
        var fine = fineTuning
        fine.removedInputShare = inputTokensPerRequest > 0 ? min(1, sharedPrefixTokens / inputTokensPerRequest) : 0
        return AdviceInputs(
            monthlySpend: spend, monthlyInputTokens: input, monthlyOutputTokens: output, cacheHitRate: hitRate,
            cacheSavedShare: hitRate, providerCacheMonthlySavings: providerSavings, fineTuning: fine, measuredRepeatShare: repeatRate)
    }
}
