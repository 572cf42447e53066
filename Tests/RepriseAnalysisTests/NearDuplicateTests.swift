import Reprise
import RepriseAnalysis
import RepriseSemantic
import Testing

/// Near-duplicate analysis with an embedder whose vectors are chosen by hand, so similarities are known.
@Suite struct NearDuplicateTests {
    /// Texts mapped to unit vectors in three dimensions; unknown texts get their own axis-free vector.
    struct TableEmbedder: Embedder {
        let table: [String: [Float]]
        var dimension: Int { 3 }
        func embed(_ texts: [String]) async throws -> [[Float]] {
            texts.map { table[$0] ?? [0, 0, 1] }
        }
    }

    static func normalized(_ vector: [Float]) -> [Float] {
        let length = vector.map { $0 * $0 }.reduce(0, +).squareRoot()
        return vector.map { $0 / length }
    }

    static let embedder = TableEmbedder(table: [
        "How do I reset my password?": [1, 0, 0],
        "How can I reset my password?": normalized([1, 0.1, 0]),  // cosine 0.995 with the first
        "Status of order 48213?": [0, 1, 0],
        "Status of order 48231?": normalized([0.01, 1, 0]),  // cosine 0.99995, but another number
        "Something else entirely": normalized([0.5, 0.5, 0.7]),
    ])

    static func record(_ text: String, model: String = "gpt-4o-mini", second: Int) throws -> UsageRecord {
        UsageRecord(
            timestamp: EpochInstant(millisecondsSinceEpoch: Int64(second) * 1000), model: model,
            request: try JSONParser.parse(#"{"model":"\#(model)","messages":[{"role":"user","content":"\#(text)"}]}"#),
            usage: TokenUsage(promptTokens: 1000, completionTokens: 500),
            source: SourceLocation(file: "log.jsonl", line: second + 1))
    }

    static func analyzer(_ calls: [(String, String)]) throws -> UsageAnalyzer {
        var analyzer = UsageAnalyzer(prices: UsageAnalyzerTests.prices)
        analyzer.nearDuplicates = NearDuplicateSample(capacity: 100)
        for (second, call) in calls.enumerated() { analyzer.add(try record(call.0, model: call.1, second: second)) }
        return analyzer
    }

    @Test func aParaphraseIsANearDuplicateAndADifferentNumberIsVetoed() async throws {
        let analyzer = try Self.analyzer([
            ("How do I reset my password?", "gpt-4o-mini"), ("How can I reset my password?", "gpt-4o-mini"),
            ("Status of order 48213?", "gpt-4o-mini"), ("Status of order 48231?", "gpt-4o-mini"),
            ("How do I reset my password?", "gpt-4o-mini"), ("Something else entirely", "gpt-4o-mini"),
        ])
        let report = try await NearDuplicateReport(sample: try #require(analyzer.nearDuplicates), embedder: Self.embedder, threshold: 0.9)
        #expect(report.sampledPrompts == 5)
        #expect(report.sampledRequests == 6)
        #expect(report.nearDuplicatePrompts == 1)
        #expect(report.vetoedByGuards == 1)
        #expect(report.examples.first?.prompt == "How can I reset my password?")
        #expect(report.examples.first?.matched == "How do I reset my password?")
        // One exact repeat and one near-duplicate in six requests.
        #expect(abs(report.exactRepeatRate - 1.0 / 6) < 1e-12)
        #expect(abs(report.identicalOrSimilarRate - 2.0 / 6) < 1e-12)
        // 1,000 × 0.15 + 500 × 0.6 = 450 µ$ saved by the one semantic hit.
        #expect(abs(report.nearDuplicateDollars - 0.00045) < 1e-12)

        let unguarded = try await NearDuplicateReport(sample: try #require(analyzer.nearDuplicates), embedder: Self.embedder, threshold: 0.9, guards: .none)
        #expect(unguarded.nearDuplicatePrompts == 2)
        #expect(unguarded.vetoedByGuards == 0)
        let strict = try await NearDuplicateReport(sample: try #require(analyzer.nearDuplicates), embedder: Self.embedder, threshold: 0.999)
        #expect(strict.nearDuplicatePrompts == 0)
    }

    @Test func promptsOfAnotherModelAreNeverCompared() async throws {
        let analyzer = try Self.analyzer([("How do I reset my password?", "gpt-4o-mini"), ("How can I reset my password?", "gpt-4o")])
        let report = try await NearDuplicateReport(sample: try #require(analyzer.nearDuplicates), embedder: Self.embedder, threshold: 0.9)
        #expect(report.nearDuplicatePrompts == 0)
    }

    @Test func theSampleKeepsTheSmallestDigestsWithExactCounts() throws {
        var sample = NearDuplicateSample(capacity: 3)
        let texts = (0..<20).map { "Question \($0)?" }
        for round in 0..<2 {
            for (index, text) in texts.enumerated() {
                let record = try Self.record(text, second: round * 100 + index)
                sample.offer(digest: try #require(PromptFingerprint.exact(record)), record: record, time: Double(round * 100 + index), order: index, dollars: 1)
            }
        }
        let kept = sample.prompts.keys.sorted()
        let smallest = try texts.map { try #require(PromptFingerprint.exact(try Self.record($0, second: 0))) }.sorted().prefix(3)
        #expect(kept == Array(smallest))
        #expect(sample.prompts.values.allSatisfy { $0.requests == 2 && $0.dollars == 2 && $0.firstTime < 100 })
        #expect(sample.comparableRequests == 40)
    }
}
