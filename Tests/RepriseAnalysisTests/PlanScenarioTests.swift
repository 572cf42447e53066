import Reprise
import RepriseAnalysis
import Testing

@Suite struct PlanScenarioTests {
    static let prices = PriceTable(prices: [
        "m": ModelPrice(provider: "openai", input: 1, cachedInput: 0.5, output: 4),
        "c": ModelPrice(provider: "anthropic", input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15),
    ])
    static let fineTune = FineTuningCase(
        trainingTokens: 1_000_000, trainingPricePerMillion: 3, inputPricePerMillion: 2, outputPricePerMillion: 8,
        removedInputShare: 0, setupCost: 1000)

    static func scenario(model: String = "m") -> PlanScenario {
        var scenario = PlanScenario(
            monthlyRequests: 1_000_000, inputTokensPerRequest: 2000, outputTokensPerRequest: 500, model: model, repeatRate: 0.4,
            fineTuning: fineTune)
        scenario.volatileShare = 0.1
        scenario.sharedPrefixTokens = 1500
        return scenario
    }

    @Test func flagsBecomeMonthlyDollars() throws {
        let inputs = try Self.scenario().adviceInputs(prices: Self.prices)
        // 2,000 M input at $1 + 500 M output at $4.
        #expect(abs(inputs.monthlySpend - 4000) < 1e-9)
        // 40% repeats, 10% of them volatile: 36% answered from the cache.
        #expect(abs(inputs.cacheHitRate - 0.36) < 1e-12)
        // The 1,500-token prefix is read on the 640,000 requests that still go upstream: 960 M tokens at $0.50 off.
        #expect(abs(inputs.providerCacheMonthlySavings - 480) < 1e-9)
        #expect(abs(inputs.fineTuning.removedInputShare - 0.75) < 1e-12)
        let advice = Advice(inputs)
        #expect(advice.verdict == .cache)
    }

    @Test func anthropicReadsSaveNinetyPercentOfInput() throws {
        let inputs = try Self.scenario(model: "c").adviceInputs(prices: Self.prices)
        #expect(abs(inputs.providerCacheMonthlySavings - 960 * 3 * 0.9) < 1e-9)
    }

    @Test func shortPrefixesAreNotCachedByProviders() throws {
        var scenario = Self.scenario()
        scenario.sharedPrefixTokens = 800
        #expect(try scenario.adviceInputs(prices: Self.prices).providerCacheMonthlySavings == 0)
    }

    @Test func anUnpricedModelIsAClearError() {
        #expect(throws: ConfigurationError.self) { try Self.scenario(model: "house-model").adviceInputs(prices: Self.prices) }
    }
}
