/// What `reprise analyze` assumes about fine-tuning when the log cannot say: the flags of the same names
/// override each.
public struct FineTuningAssumptions: Sendable, Hashable {
    /// Training examples: the distinct prompts of the log, at most this many.
    public var maximumExamples = 1000
    public var epochs = 3
    /// Training price, US dollars per million training tokens (OpenAI's gpt-4o-class price).
    public var trainingPricePerMillion = 25.0
    /// The fine-tuned model's prices as a multiple of the base model's (OpenAI: 1.5× to 2×).
    public var inferencePriceMultiplier = 2.0
    /// One-off cost of building the data set and evaluating the model, in US dollars.
    public var setupCost = 2000.0

    public init() {}
}
