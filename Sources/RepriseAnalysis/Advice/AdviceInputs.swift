/// The monthly figures the advice is computed from, measured from a log (`reprise analyze`) or given as
/// flags (`reprise plan`).
public struct AdviceInputs: Sendable, Hashable {
    /// What the traffic costs a month today, in US dollars.
    public var monthlySpend: Double
    /// Monthly input and output tokens.
    public var monthlyInputTokens: Double
    public var monthlyOutputTokens: Double
    /// The share of requests a response cache would answer (from the replay at the recommended TTL, after
    /// volatile requests are excluded).
    public var cacheHitRate: Double
    /// The share of spend those hits represent (hits on expensive requests save more).
    public var cacheSavedShare: Double
    /// Dollars a month the provider's own prompt caching would save.
    public var providerCacheMonthlySavings: Double
    /// The fine-tuning case.
    public var fineTuning: FineTuningCase
    /// The traffic fine-tuning would move to the fine-tuned model, when it is one model's part of the
    /// whole (a log that calls several models); `nil` for all of it.
    public var fineTuningScope: FineTuningScope?

    /// The seed's rule of thumb: caching is worthwhile above this share of identical or similar requests.
    /// Shown beside the verdict, never used to make it.
    public var ruleOfThumbRepeatShare: Double = 0.30
    /// The repeat share measured (exact or normalized), for the rule of thumb.
    public var measuredRepeatShare: Double
    /// How many months the verdict weighs one-off costs over.
    public var horizonMonths: Int = 12

    public init(
        monthlySpend: Double, monthlyInputTokens: Double, monthlyOutputTokens: Double, cacheHitRate: Double,
        cacheSavedShare: Double, providerCacheMonthlySavings: Double, fineTuning: FineTuningCase, measuredRepeatShare: Double,
        fineTuningScope: FineTuningScope? = nil
    ) {
        self.fineTuningScope = fineTuningScope
        self.monthlySpend = monthlySpend
        self.monthlyInputTokens = monthlyInputTokens
        self.monthlyOutputTokens = monthlyOutputTokens
        self.cacheHitRate = cacheHitRate
        self.cacheSavedShare = cacheSavedShare
        self.providerCacheMonthlySavings = providerCacheMonthlySavings
        self.fineTuning = fineTuning
        self.measuredRepeatShare = measuredRepeatShare
    }
}

/// The part of the traffic a fine-tuned model would take over: one model's monthly spend and tokens.
public struct FineTuningScope: Sendable, Hashable {
    public var model: String
    public var monthlySpend: Double
    public var monthlyInputTokens: Double
    public var monthlyOutputTokens: Double

    public init(model: String, monthlySpend: Double, monthlyInputTokens: Double, monthlyOutputTokens: Double) {
        self.model = model
        self.monthlySpend = monthlySpend
        self.monthlyInputTokens = monthlyInputTokens
        self.monthlyOutputTokens = monthlyOutputTokens
    }
}

/// What fine-tuning would cost and change.
public struct FineTuningCase: Sendable, Hashable {
    /// Tokens in the training set (examples × tokens per example).
    public var trainingTokens: Double
    public var epochs: Int
    /// Training price, US dollars per million training tokens.
    public var trainingPricePerMillion: Double
    /// The fine-tuned model's inference prices, per million tokens.
    public var inputPricePerMillion: Double
    public var outputPricePerMillion: Double
    /// The share of input tokens fine-tuning removes (repeated system prompts and few-shot examples the
    /// model no longer needs to be sent).
    public var removedInputShare: Double
    /// One-off cost of building the data set and evaluating the model, in US dollars.
    public var setupCost: Double

    public init(
        trainingTokens: Double, epochs: Int = 3, trainingPricePerMillion: Double, inputPricePerMillion: Double,
        outputPricePerMillion: Double, removedInputShare: Double, setupCost: Double
    ) {
        self.trainingTokens = trainingTokens
        self.epochs = epochs
        self.trainingPricePerMillion = trainingPricePerMillion
        self.inputPricePerMillion = inputPricePerMillion
        self.outputPricePerMillion = outputPricePerMillion
        self.removedInputShare = removedInputShare
        self.setupCost = setupCost
    }

    /// The one-off cost: training plus setup.
    public var oneOffCost: Double {
        trainingTokens * Double(epochs) * trainingPricePerMillion / 1_000_000 + setupCost
    }
}
