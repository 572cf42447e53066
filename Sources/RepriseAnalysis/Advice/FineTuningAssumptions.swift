import Reprise

/// What `reprise analyze` assumes about fine-tuning where the log cannot say; the `--ft-*` flags override
/// each.
///
/// Prices left `nil` come from the provider's list price for fine-tuning the log's main model
/// (``FineTuningPrice/listPrice(for:)``); for a model without one, the training price is
/// ``fallbackTrainingPricePerMillion`` and the fine-tuned model costs ``inferencePriceMultiplier`` times
/// what the log pays per token today.
public struct FineTuningAssumptions: Sendable, Hashable {
    /// Training examples: the distinct prompts of the log, at most this many.
    public var maximumExamples = 1000
    public var epochs = 3
    /// Training price, US dollars per million training tokens; `nil` uses the list price.
    public var trainingPricePerMillion: Double?
    /// The fine-tuned model's prices per million tokens; `nil` uses the list price.
    public var inputPricePerMillion: Double?
    public var outputPricePerMillion: Double?
    /// The training price for models without a list price (OpenAI's gpt-4o-class price).
    public var fallbackTrainingPricePerMillion = 25.0
    /// The fine-tuned model's prices as a multiple of the base model's, for models without a list price
    /// (OpenAI's fine-tuned models cost 1.5× to 2× their base).
    public var inferencePriceMultiplier = 2.0
    /// One-off cost of building the data set and evaluating the model, in US dollars.
    public var setupCost = 2000.0

    public init() {}

    /// The prices the fine-tuning case uses for `model`, whose traffic pays `currentPerMillion` per token
    /// today, and where each came from.
    public func prices(for model: String?, currentPerMillion: Double) -> ResolvedPrices {
        let list = model.flatMap(FineTuningPrice.listPrice(for:))
        let source: String
        if trainingPricePerMillion != nil, inputPricePerMillion != nil, outputPricePerMillion != nil {
            source = "the --ft-* flags"
        } else if let list {
            source = "list prices for fine-tuning \(list.baseModel) as of \(FineTuningPrice.listPricesDate)"
        } else {
            source = "assumed: $\(fallbackTrainingPricePerMillion)/M training tokens and \(inferencePriceMultiplier)× today's per-token price, as \(model ?? "the model") has no list price for fine-tuning"
        }
        return ResolvedPrices(
            trainingPerMillion: trainingPricePerMillion ?? list?.trainingPerMillion ?? fallbackTrainingPricePerMillion,
            inputPerMillion: inputPricePerMillion ?? list?.inputPerMillion ?? currentPerMillion * inferencePriceMultiplier,
            outputPerMillion: outputPricePerMillion ?? list?.outputPerMillion ?? currentPerMillion * inferencePriceMultiplier,
            source: source)
    }

    /// Fine-tuning prices, per million tokens, and a phrase saying where they came from.
    public struct ResolvedPrices: Sendable, Hashable {
        public var trainingPerMillion: Double
        public var inputPerMillion: Double
        public var outputPerMillion: Double
        public var source: String
    }
}
