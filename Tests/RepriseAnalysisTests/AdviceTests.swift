import RepriseAnalysis
import Testing

/// The verdict follows the dollars, worked out by hand here.
@Suite struct AdviceTests {
    /// $10,000 a month: 2,000 M input and `output` M output tokens.
    static func inputs(output: Double = 500, cacheShare: Double, provider: Double = 0, fine: FineTuningCase, repeats: Double = 0.4, spend: Double = 10_000) -> AdviceInputs {
        AdviceInputs(
            monthlySpend: spend, monthlyInputTokens: 2_000_000_000, monthlyOutputTokens: output * 1_000_000, cacheHitRate: cacheShare,
            cacheSavedShare: cacheShare, providerCacheMonthlySavings: provider, fineTuning: fine, measuredRepeatShare: repeats)
    }

    /// gpt-4o-class fine-tune: dearer per token than the base model.
    static let dearFineTune = FineTuningCase(
        trainingTokens: 10_000_000, epochs: 3, trainingPricePerMillion: 25, inputPricePerMillion: 3.75, outputPricePerMillion: 15,
        removedInputShare: 0.3, setupCost: 5000)
    /// A small model fine-tuned to replace long instructions.
    static let cheapFineTune = FineTuningCase(
        trainingTokens: 50_000_000, epochs: 3, trainingPricePerMillion: 3, inputPricePerMillion: 0.3, outputPricePerMillion: 1.2,
        removedInputShare: 0.6, setupCost: 2000)

    @Test func cacheWinsWhenFineTuningCostsMorePerMonth() {
        let advice = Advice(Self.inputs(cacheShare: 0.4, provider: 500, fine: Self.dearFineTune))
        // Fine-tuned: 2,000 × 0.7 × 3.75 + 500 × 15 = 5,250 + 7,500 = 12,750 a month, above today's 10,000.
        #expect(abs(advice.fineTunedMonthlySpend - 12_750) < 1e-6)
        #expect(advice.fineTuningBreakEvenMonth == nil)
        // Cache: 40% of 10,000 + 500 = 4,500 a month, 54,000 over 12 months.
        #expect(abs(advice.cacheMonthlySavings - 4500) < 1e-6)
        #expect(abs(advice.netSavings[.cache]! - 54_000) < 1e-6)
        #expect(advice.verdict == .cache)
        #expect(advice.explanation.hasPrefix("Cache:"))
        #expect(advice.explanation.contains("$4,500.00"))
        #expect(advice.ruleOfThumbSaysCache)
    }

    @Test func fineTuningWinsWhenItRemovesMostOfThePromptAndNothingRepeats() {
        let advice = Advice(Self.inputs(output: 100, cacheShare: 0, fine: Self.cheapFineTune, repeats: 0.05))
        // 2,000 × 0.4 × 0.3 + 100 × 1.2 = 240 + 120 = 360 a month; saves 9,640; one-off 50 × 3 × 3 + 2,000 = 2,450.
        #expect(abs(advice.fineTunedMonthlySpend - 360) < 1e-6)
        #expect(abs(advice.fineTuningMonthlySavings - 9640) < 1e-6)
        #expect(advice.fineTuningBreakEvenMonth == 1)
        #expect(abs(advice.netSavings[.fineTune]! - (9640 * 12 - 2450)) < 1e-6)
        #expect(advice.verdict == .fineTune)
        #expect(!advice.ruleOfThumbSaysCache)
    }

    @Test func bothWhenFineTuningPaysAndAnswersStillRepeat() {
        let advice = Advice(Self.inputs(output: 100, cacheShare: 0.5, fine: Self.cheapFineTune))
        // Both: 9,640 + 360 × 0.5 = 9,820 a month, against caching's 5,000.
        #expect(abs(advice.bothMonthlySavings - 9820) < 1e-6)
        #expect(advice.verdict == .both)
    }

    @Test func neitherWhenNothingSavesEnough() {
        let advice = Advice(Self.inputs(cacheShare: 0.01, fine: Self.dearFineTune, repeats: 0.01, spend: 100))
        #expect(advice.verdict == .neither)
        #expect(advice.explanation.hasPrefix("Neither:"))
    }

    @Test func breakEvenMonthRoundsUp() {
        var fine = Self.cheapFineTune
        fine.setupCost = 30_000  // one-off 30,450 against 9,640 a month: paid back during month 4.
        let advice = Advice(Self.inputs(output: 100, cacheShare: 0, fine: fine))
        #expect(advice.fineTuningBreakEvenMonth == 4)
    }

    @Test func fineTuningOneModelMovesOnlyThatModelsTraffic() {
        var inputs = Self.inputs(output: 100, cacheShare: 0.2, fine: Self.cheapFineTune, repeats: 0.05)
        // Of $10,000, $6,000 is the main model's: 1,000 M input and 50 M output tokens.
        inputs.fineTuningScope = FineTuningScope(model: "gpt-4o", monthlySpend: 6000, monthlyInputTokens: 1_000_000_000, monthlyOutputTokens: 50_000_000)
        let advice = Advice(inputs)
        // 1,000 × 0.4 × 0.3 + 50 × 1.2 = 120 + 60 = 180 a month for what cost 6,000: saves 5,820.
        #expect(abs(advice.fineTunedMonthlySpend - 180) < 1e-6)
        #expect(abs(advice.fineTuningMonthlySavings - 5820) < 1e-6)
        // Both: then the cache saves 20% of the 4,180 still spent: 5,820 + 836 = 6,656.
        #expect(abs(advice.bothMonthlySavings - 6656) < 1e-6)
        #expect(advice.fineTunedModelScope == "gpt-4o")
        #expect(advice.explanation.contains("Fine-tuning gpt-4o would cut its monthly spend from $6,000.00 to $180.00"))
    }
}
