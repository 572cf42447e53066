/// What a provider charges for its own prompt cache, as multiples of the model's input price: the one
/// place these figures live, shared by the gateway's accounting and the analyzer's estimates.
///
/// Anthropic publishes its prompt-cache prices as multipliers of the base input price, the same for every
/// model; OpenAI charges no write fee and reads at each model's own cached-input price, which the price
/// table carries (``ModelPrice/cachedInput``).
public enum PromptCacheMultipliers {
    /// Anthropic: reading a cached prefix costs a tenth of the input price.
    public static let anthropicRead = 0.1
    /// Anthropic: writing a prefix to the 5-minute cache costs a quarter more than sending it uncached.
    public static let anthropicFiveMinuteWrite = 1.25
    /// Anthropic: writing a prefix to the 1-hour cache costs twice the input price.
    public static let anthropicOneHourWrite = 2.0
}
