import Reprise
import RepriseAnalysis
import Testing

/// The report's timeline, savings by model and fine-tuning figures on constructed logs, worked out by hand.
@Suite struct ReportMeasuresTests {
    @Test func timelineCountsRequestsAndRepeatsPerHour() {
        var analyzer = UsageAnalyzer(prices: UsageAnalyzerTests.prices)
        // Hour 0: A, A (a repeat), B. Hour 1: nothing. Hour 2: A (a repeat), C.
        for (second, text) in [(0, "A?"), (600, "A?"), (3000, "B?"), (7300, "A?"), (7400, "C?")] {
            analyzer.add(UsageAnalyzerTests.record(text, at: Int64(second)))
        }
        let timeline = UsageTimeline(hourly: analyzer.hourly)
        #expect(timeline.bucketSeconds == 3600)
        #expect(timeline.buckets.map(\.counts.requests) == [3, 0, 2])
        #expect(timeline.buckets.map(\.counts.repeats) == [1, 0, 1])
        #expect(timeline.buckets.map(\.start.sinceEpoch) == [.zero, .seconds(3600), .seconds(7200)])
        // 1,000 × 0.15 + 500 × 0.6 = 450 µ$ a request.
        #expect(abs(timeline.buckets[0].counts.dollars - 3 * 0.00045) < 1e-12)
    }

    @Test func timelineUsesDaysForLogsLongerThanThreeDays() {
        var hourly: [Int: UsageTimeline.Bucket] = [:]
        hourly[0] = UsageTimeline.Bucket(requests: 2, repeats: 1)
        hourly[5] = UsageTimeline.Bucket(requests: 1)
        hourly[24 * 4 + 1] = UsageTimeline.Bucket(requests: 4, repeats: 4)
        let timeline = UsageTimeline(hourly: hourly)
        #expect(timeline.bucketSeconds == 86_400)
        #expect(timeline.buckets.map(\.counts.requests) == [3, 0, 0, 0, 4])
        #expect(timeline.buckets.map(\.counts.repeats) == [1, 0, 0, 0, 4])
        #expect(UsageTimeline(hourly: [:]).buckets.isEmpty)
    }

    @Test(arguments: [(1800, 1440.0, false), (3600, 720.0, false), (300, 1.0, true)])
    func monthlyFiguresScaleTheLogsPeriodWhenItIsLongEnough(span: Int64, factor: Double, assumed: Bool) {
        var analyzer = UsageAnalyzer(prices: UsageAnalyzerTests.prices)
        analyzer.add(UsageAnalyzerTests.record("A?", at: 0))
        analyzer.add(UsageAnalyzerTests.record("B?", at: span))
        let report = AnalysisReport(analyzer)
        #expect(report.monthlyFactor == factor)
        #expect(report.monthlyAssumed == assumed)
    }

    @Test func savingsByModelFollowTheRecommendedTimeToLive() {
        let prices = PriceTable(prices: [
            "gpt-4o-mini": ModelPrice(provider: "openai", input: 0.15, output: 0.6),
            "gpt-4o": ModelPrice(provider: "openai", input: 2.5, output: 10),
        ])
        var analyzer = UsageAnalyzer(prices: prices)
        // gpt-4o repeats twice within a minute, gpt-4o-mini once; "Once" never repeats.
        for (second, text, model) in [(0, "Q", "gpt-4o"), (10, "Q", "gpt-4o"), (20, "Q", "gpt-4o"), (30, "R", "gpt-4o-mini"), (40, "R", "gpt-4o-mini"), (50, "Once", "gpt-4o-mini")] {
            analyzer.add(UsageAnalyzerTests.record(text, at: Int64(second), model: model))
        }
        let report = AnalysisReport(analyzer)
        #expect(report.recommendation.timeToLive == .seconds(60))
        let saved = Dictionary(uniqueKeysWithValues: report.savingsByModel.map { ($0.model, $0.savedDollars) })
        // gpt-4o: 1,000 × 2.5 + 500 × 10 = 7,500 µ$ a request, two hits. gpt-4o-mini: 450 µ$, one hit.
        #expect(abs(saved["gpt-4o"]! - 2 * 0.0075) < 1e-12)
        #expect(abs(saved["gpt-4o-mini"]! - 0.00045) < 1e-12)
        #expect(report.savingsByModel.first?.model == "gpt-4o")
        #expect(report.mainModel == "gpt-4o")
    }

    @Test func repeatedInstructionsCountPrefixesThatManyRequestsShare() throws {
        // Twelve conversations share one system prompt of 4,000 characters; each asks its own question.
        let system = String(repeating: "Be kind. ", count: 444)
        var instructions = RepeatedInstructions(minimumRequests: 10)
        for question in 0..<12 {
            let body = try JSONParser.parse(#"{"model":"gpt-4o","messages":[{"role":"system","content":"\#(system)"},{"role":"user","content":"Question \#(question)?"}]}"#)
            let record = UsageRecord(model: "gpt-4o", request: body, usage: TokenUsage(promptTokens: 1000, completionTokens: 10), source: SourceLocation(file: "f", line: question + 1))
            instructions.add(try #require(PromptPrefixes(record)))
        }
        // The prefix up to the system prompt repeats from the second request on, and counts once ten earlier
        // requests sent it: requests 11 and 12. Each request's prefix is most of its 1,000 prompt tokens.
        let perRequest = Double(instructions.repeatedTokens) / 2
        #expect(instructions.inputTokens == 12_000)
        #expect(perRequest > 950 && perRequest < 1000)
        #expect(abs(instructions.share - perRequest * 2 / 12_000) < 1e-12)
    }

    @Test func aConversationsOwnEarlierTurnsAreNotInstructions() throws {
        var instructions = RepeatedInstructions(minimumRequests: 10)
        var turns: [String] = []
        for turn in 0..<5 {
            turns.append(#"{"role":"user","content":"Turn \#(turn) of a long talk"}"#)
            let body = try JSONParser.parse(#"{"model":"gpt-4o","messages":[\#(turns.joined(separator: ","))]}"#)
            instructions.add(try #require(PromptPrefixes(UsageRecord(model: "gpt-4o", request: body, source: SourceLocation(file: "f", line: turn + 1)))))
        }
        #expect(instructions.repeatedTokens == 0)
        #expect(instructions.share == 0)
    }

    @Test(arguments: [
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini", 3.0), ("gpt-4o", "gpt-4o", 25.0), ("ft:gpt-4o-mini:acme::abc", "gpt-4o-mini", 3.0),
        ("openai/gpt-4.1-nano", "gpt-4.1-nano", 1.5), ("gpt-4.1-2025-04-14", "gpt-4.1", 25.0),
    ])
    func fineTuningListPricesFollowTheBaseModel(model: String, base: String, training: Double) throws {
        let price = try #require(FineTuningPrice.listPrice(for: model))
        #expect(price.baseModel == base)
        #expect(price.trainingPerMillion == training)
    }

    @Test func modelsWithoutAFineTuningPriceUseTheAssumptions() {
        #expect(FineTuningPrice.listPrice(for: "claude-3-5-haiku") == nil)
        #expect(FineTuningPrice.listPrice(for: "gpt-4omni") == nil)
        let assumptions = FineTuningAssumptions()
        let fallback = assumptions.prices(for: "claude-3-5-haiku", currentPerMillion: 4)
        #expect(fallback.trainingPerMillion == 25)
        #expect(fallback.inputPerMillion == 8)
        #expect(fallback.source.hasPrefix("assumed"))
        var flagged = assumptions
        flagged.trainingPricePerMillion = 7
        let listed = flagged.prices(for: "gpt-4o-mini", currentPerMillion: 4)
        #expect(listed.trainingPerMillion == 7)
        #expect(listed.inputPerMillion == 0.3)
        #expect(listed.outputPerMillion == 1.2)
    }

    @Test func theFineTuningCaseUsesTheMeasuredRepeatedInstructions() throws {
        var analyzer = UsageAnalyzer(prices: UsageAnalyzerTests.prices)
        let system = String(repeating: "Answer as a pirate. ", count: 100)
        for question in 0..<20 {
            let body = try JSONParser.parse(#"{"model":"gpt-4o-mini","messages":[{"role":"system","content":"\#(system)"},{"role":"user","content":"Q\#(question)"}]}"#)
            analyzer.add(UsageRecord(
                timestamp: EpochInstant(millisecondsSinceEpoch: Int64(question) * 1000), model: "gpt-4o-mini", request: body,
                usage: TokenUsage(promptTokens: 500, completionTokens: 50), source: SourceLocation(file: "f", line: question + 1)))
        }
        let report = AnalysisReport(analyzer)
        // Requests 11 to 20 repeat an instruction prefix at least ten earlier requests sent.
        #expect(report.repeatedInstructions.share > 0.45 && report.repeatedInstructions.share < 0.5)
        let json = report.json
        #expect(json["fine_tuning"]?["model"]?.stringValue == "gpt-4o-mini")
        #expect(json["fine_tuning"]?["training_price_per_million"]?.doubleValue == 3)
        #expect(json["fine_tuning"]?["removable_input_share"]?.doubleValue == report.repeatedInstructions.share.roundedToNanos)
        #expect(json["timeline"]?["buckets"]?.arrayValue?.count == 1)
    }
}

extension Double {
    fileprivate var roundedToNanos: Double { (self * 1e9).rounded() / 1e9 }
}
