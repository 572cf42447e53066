import Reprise
import RepriseAnalysis
import Testing

/// The analyzer's running totals on a constructed log.
@Suite struct UsageAnalyzerTests {
    static let prices = PriceTable(prices: ["gpt-4o-mini": ModelPrice(provider: "openai", input: 0.15, cachedInput: 0.075, output: 0.6)])

    static func record(_ text: String, at seconds: Int64, usage: TokenUsage? = TokenUsage(promptTokens: 1000, completionTokens: 500), model: String = "gpt-4o-mini", cost: Double? = nil) -> UsageRecord {
        let body = try! JSONParser.parse(#"{"model":"\#(model)","messages":[{"role":"user","content":"\#(text)"}]}"#)
        return UsageRecord(
            timestamp: EpochInstant(millisecondsSinceEpoch: seconds * 1000), model: model, request: body, usage: usage, costUSD: cost,
            source: SourceLocation(file: "log.jsonl", line: Int(seconds)))
    }

    @Test func spendTokensAndPeriodAreSummed() {
        var analyzer = UsageAnalyzer(prices: Self.prices)
        analyzer.add(Self.record("Opening hours?", at: 0))
        analyzer.add(Self.record("Opening hours?", at: 86_400))
        analyzer.add(Self.record("Logged cost", at: 172_800, cost: 1.25))
        #expect(analyzer.inputTokens == 3000)
        #expect(analyzer.outputTokens == 1500)
        // 1,000 × 0.15 + 500 × 0.6 = 450 µ$ per priced request, plus the logged 1.25.
        #expect(abs(analyzer.dollars - (2 * 0.00045 + 1.25)) < 1e-12)
        #expect(analyzer.spanDays == 2)
        #expect(!analyzer.tokensEstimated)
        #expect(analyzer.exactRequests.count == 3)
    }

    @Test func unknownModelsAreReportedUnpricedNotGuessed() {
        var analyzer = UsageAnalyzer(prices: Self.prices)
        analyzer.add(Self.record("Hi", at: 0, model: "house-model-7"))
        #expect(analyzer.dollars == 0)
        #expect(analyzer.unpricedModels == ["house-model-7"])
    }

    @Test func missingTokenCountsAreEstimatedAndSaidToBe() {
        var analyzer = UsageAnalyzer(prices: Self.prices)
        analyzer.add(Self.record(String(repeating: "abcd", count: 100), at: 0, usage: nil))
        #expect(analyzer.tokensEstimated)
        #expect(analyzer.inputTokens == 100)
    }

    @Test func volatilePromptsAreCountedAndKeptOutOfTheReplay() {
        var analyzer = UsageAnalyzer(prices: Self.prices)
        for second in 0..<3 { analyzer.add(Self.record("What is the latest news today?", at: Int64(second))) }
        for second in 3..<5 { analyzer.add(Self.record("Email me at sam@example.com", at: Int64(second))) }
        #expect(analyzer.volatility.timeSensitive == 3)
        #expect(analyzer.volatility.personalData == 2)
        #expect(!analyzer.volatility.examples.contains { $0.prompt.contains("sam@example.com") })
        let outcome = CacheSimulation.run(analyzer.exactRequests, policies: [.unlimited])[0]
        #expect(outcome.hits == 0)
        #expect(analyzer.repetition.total.exactRepeatRate > 0.5)
    }

    @Test func normalizedReplayFindsMoreRepeatsThanExact() {
        var analyzer = UsageAnalyzer(prices: Self.prices)
        analyzer.add(Self.record("Refund policy?", at: 0))
        analyzer.add(Self.record("refund policy", at: 10))
        #expect(CacheSimulation.run(analyzer.exactRequests, policies: [.unlimited])[0].hits == 0)
        #expect(CacheSimulation.run(analyzer.normalizedRequests, policies: [.unlimited])[0].hits == 1)
    }
}

@Suite struct AssumedModelTests {
    @Test func tracesWithoutAModelArePricedAtTheAssumedOne() {
        var analyzer = UsageAnalyzer(prices: UsageAnalyzerTests.prices)
        analyzer.assumedModel = "gpt-4o-mini"
        analyzer.add(UsageRecord(usage: TokenUsage(promptTokens: 1000, completionTokens: 500), source: SourceLocation(file: "t", line: 1)))
        #expect(abs(analyzer.dollars - 0.00045) < 1e-12)
        #expect(analyzer.unpricedModels.isEmpty)
    }
}
