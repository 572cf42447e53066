/// What fine-tuning a model costs: the one-off training price and the fine-tuned model's own inference
/// prices, all in US dollars per million tokens.
public struct FineTuningPrice: Sendable, Hashable {
    /// The base model's name as the provider spells it; models whose names start with it share the price.
    public var baseModel: String
    public var provider: String
    public var trainingPerMillion: Double
    public var inputPerMillion: Double
    public var cachedInputPerMillion: Double?
    public var outputPerMillion: Double

    public init(
        baseModel: String, provider: String, trainingPerMillion: Double, inputPerMillion: Double,
        cachedInputPerMillion: Double? = nil, outputPerMillion: Double
    ) {
        self.baseModel = baseModel
        self.provider = provider
        self.trainingPerMillion = trainingPerMillion
        self.inputPerMillion = inputPerMillion
        self.cachedInputPerMillion = cachedInputPerMillion
        self.outputPerMillion = outputPerMillion
    }

    /// The date of ``listPrices``.
    public static let listPricesDate = "2026-11-26"

    /// OpenAI's published fine-tuning prices (supervised fine-tuning, standard tier) for the models it
    /// fine-tunes; other providers publish none for their hosted models.
    public static let listPrices: [FineTuningPrice] = [
        FineTuningPrice(baseModel: "gpt-4.1-nano", provider: "openai", trainingPerMillion: 1.5, inputPerMillion: 0.2, cachedInputPerMillion: 0.05, outputPerMillion: 0.8),
        FineTuningPrice(baseModel: "gpt-4.1-mini", provider: "openai", trainingPerMillion: 5, inputPerMillion: 0.8, cachedInputPerMillion: 0.2, outputPerMillion: 3.2),
        FineTuningPrice(baseModel: "gpt-4.1", provider: "openai", trainingPerMillion: 25, inputPerMillion: 3, cachedInputPerMillion: 0.75, outputPerMillion: 12),
        FineTuningPrice(baseModel: "gpt-4o-mini", provider: "openai", trainingPerMillion: 3, inputPerMillion: 0.3, cachedInputPerMillion: 0.15, outputPerMillion: 1.2),
        FineTuningPrice(baseModel: "gpt-4o", provider: "openai", trainingPerMillion: 25, inputPerMillion: 3.75, cachedInputPerMillion: 1.875, outputPerMillion: 15),
        FineTuningPrice(baseModel: "gpt-3.5-turbo", provider: "openai", trainingPerMillion: 8, inputPerMillion: 3, outputPerMillion: 6),
    ]

    /// The list price for fine-tuning `model` (or the model a dated or `ft:` name derives from): the entry
    /// with the longest base name that `model` starts with; `nil` when the provider does not fine-tune it.
    public static func listPrice(for model: String) -> FineTuningPrice? {
        var name = model.lowercased()
        if name.hasPrefix("ft:") { name = String(name.dropFirst(3)) }
        if let slash = name.lastIndex(of: "/") { name = String(name[name.index(after: slash)...]) }
        return listPrices
            .filter { name == $0.baseModel || name.hasPrefix($0.baseModel + "-") || name.hasPrefix($0.baseModel + ":") }
            .max { $0.baseModel.count < $1.baseModel.count }
    }
}
