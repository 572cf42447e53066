/// The answer to "cache, fine-tune, both, or neither?", from dollar figures.
///
/// Each option is weighed by what it saves over ``AdviceInputs/horizonMonths`` net of its one-off costs:
/// - cache: the response cache's share of spend plus the provider's prompt-cache savings, no one-off cost;
/// - fine-tune: today's spend minus the fine-tuned model's spend on the tokens left after removing the
///   repeated instructions, minus training and setup;
/// - both: fine-tune, then the response cache saves its share of the fine-tuned spend (provider prefix
///   caching is not counted again: fine-tuning removes the prefixes it would cache).
/// The verdict is the option with the largest net saving, or `neither` when none saves at least
/// ``minimumWorthwhileShare`` of the spend over the horizon.
public struct Advice: Sendable, Hashable {
    public enum Verdict: String, Sendable, Hashable {
        case cache, fineTune = "fine-tune", both, neither
    }

    /// Below this share of spend over the horizon, no option is worth the change.
    public static let minimumWorthwhileShare = 0.05

    public var verdict: Verdict
    public var cacheMonthlySavings: Double
    public var fineTunedMonthlySpend: Double
    /// The model whose traffic the fine-tuning case moves, when it is not all the traffic.
    public var fineTunedModelScope: String?
    public var fineTuningMonthlySavings: Double
    public var bothMonthlySavings: Double
    /// The month in which fine-tuning has paid back its one-off cost; `nil` when it never does.
    public var fineTuningBreakEvenMonth: Int?
    public var netSavings: [Verdict: Double]
    /// Whether the seed's rule of thumb (repeats above 30% → cache) agrees with the verdict's caching part.
    public var ruleOfThumbSaysCache: Bool
    public var explanation: String

    public init(_ inputs: AdviceInputs) {
        let horizon = Double(inputs.horizonMonths)
        let fine = inputs.fineTuning
        cacheMonthlySavings = inputs.monthlySpend * inputs.cacheSavedShare + inputs.providerCacheMonthlySavings
        let scope = inputs.fineTuningScope
        fineTunedModelScope = scope?.model
        fineTunedMonthlySpend = ((scope?.monthlyInputTokens ?? inputs.monthlyInputTokens) * (1 - fine.removedInputShare) * fine.inputPricePerMillion
            + (scope?.monthlyOutputTokens ?? inputs.monthlyOutputTokens) * fine.outputPricePerMillion) / 1_000_000
        fineTuningMonthlySavings = (scope?.monthlySpend ?? inputs.monthlySpend) - fineTunedMonthlySpend
        // The cache then saves its share of what is still spent, fine-tuned or not.
        bothMonthlySavings = fineTuningMonthlySavings + (inputs.monthlySpend - fineTuningMonthlySavings) * inputs.cacheSavedShare
        fineTuningBreakEvenMonth = fineTuningMonthlySavings > 0
            ? Int((fine.oneOffCost / fineTuningMonthlySavings).rounded(.up)).clamped(minimum: 1) : nil
        let net: [Verdict: Double] = [
            .cache: cacheMonthlySavings * horizon,
            .fineTune: fineTuningMonthlySavings * horizon - fine.oneOffCost,
            .both: bothMonthlySavings * horizon - fine.oneOffCost,
            .neither: 0,
        ]
        netSavings = net
        let threshold = inputs.monthlySpend * horizon * Self.minimumWorthwhileShare
        // On a tie the simpler option wins: caching before fine-tuning, one before both.
        var best = Verdict.cache
        for option in [Verdict.fineTune, .both] where net[option]! > net[best]! { best = option }
        verdict = net[best]! >= max(threshold, 0.01) ? best : .neither
        ruleOfThumbSaysCache = inputs.measuredRepeatShare > inputs.ruleOfThumbRepeatShare
        explanation = ""
        explanation = Self.explain(verdict, inputs: inputs, advice: self)
    }

    private static func explain(_ verdict: Verdict, inputs: AdviceInputs, advice: Advice) -> String {
        func dollars(_ value: Double) -> String { "$" + String(format: value) }
        let months = inputs.horizonMonths
        let cache = "A response cache would answer \(percent(inputs.cacheHitRate)) of requests and save \(dollars(advice.cacheMonthlySavings)) a month"
            + (inputs.providerCacheMonthlySavings > 0 ? " (of which \(dollars(inputs.providerCacheMonthlySavings)) from the provider's prompt caching)" : "") + "."
        let scopeSpend = inputs.fineTuningScope?.monthlySpend ?? inputs.monthlySpend
        let subject = inputs.fineTuningScope.map { "Fine-tuning \($0.model) would cut its" } ?? "Fine-tuning would cut"
        let fine = advice.fineTuningMonthlySavings > 0
            ? "\(subject) monthly spend from \(dollars(scopeSpend)) to \(dollars(advice.fineTunedMonthlySpend)) after a one-off \(dollars(inputs.fineTuning.oneOffCost)), paying back in month \(advice.fineTuningBreakEvenMonth ?? 0)."
            : "\(inputs.fineTuningScope.map { "Fine-tuning \($0.model)" } ?? "Fine-tuning") would not lower monthly spend (\(dollars(advice.fineTunedMonthlySpend)) against \(dollars(scopeSpend)) today), so its one-off \(dollars(inputs.fineTuning.oneOffCost)) never pays back."
        let rule = "The rule of thumb (over \(percent(inputs.ruleOfThumbRepeatShare)) repeats → cache) \(advice.ruleOfThumbSaysCache ? "agrees that caching is worth it" : "would say not to cache") at \(percent(inputs.measuredRepeatShare)) measured repeats."
        let lead: String
        switch verdict {
        case .cache: lead = "Cache: it saves the most over \(months) months (\(dollars(advice.netSavings[.cache]!))) with nothing to pay up front."
        case .fineTune: lead = "Fine-tune: over \(months) months it saves \(dollars(advice.netSavings[.fineTune]!)) net of its one-off cost, more than caching's \(dollars(advice.netSavings[.cache]!))."
        case .both: lead = "Both: fine-tune, then cache what still repeats: \(dollars(advice.netSavings[.both]!)) net over \(months) months."
        case .neither: lead = "Neither: no option saves at least \(percent(minimumWorthwhileShare)) of spend over \(months) months."
        }
        return [lead, cache, fine, rule].joined(separator: " ")
    }

    private static func percent(_ share: Double) -> String { String(format: share * 100, digits: 1) + "%" }
}

extension Int {
    fileprivate func clamped(minimum: Int) -> Int { Swift.max(self, minimum) }
}

extension String {
    /// `value` with two decimals (or `digits`), grouped in thousands: 12,345.60.
    init(format value: Double, digits: Int = 2) {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (abs(value) * scale).rounded()
        let whole = Int(rounded / scale)
        let fraction = Int(rounded) - whole * Int(scale)
        var grouped = ""
        for (position, character) in String(whole).reversed().enumerated() {
            if position > 0, position % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        let fractionText = String(fraction)
        let padded = String(repeating: "0", count: Swift.max(0, digits - fractionText.count)) + fractionText
        self = (value < 0 && rounded > 0 ? "-" : "") + String(grouped.reversed()) + (digits > 0 ? "." + padded : "")
    }
}
