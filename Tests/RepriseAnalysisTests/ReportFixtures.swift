import Reprise
import RepriseAnalysis

/// Small constructed logs for the Markdown and HTML renderers, including the awkward ones: untrusted
/// prompt text, no prompt text at all, no timestamps, no repeats, no prices, nothing at all.
enum ReportFixtures {
    static let script = "<script>alert(1)</script>"
    static let piped = "Compare a | b\nthen c & \"d\""

    /// A chat request for `text`, built as JSON so any text survives.
    static func record(_ text: String, at seconds: Int64?, model: String = "gpt-4o-mini",
                       usage: TokenUsage? = TokenUsage(promptTokens: 1000, completionTokens: 500)) -> UsageRecord {
        let body: JSONValue = ["model": .string(model), "messages": [["role": "user", "content": .string(text)]]]
        return UsageRecord(
            timestamp: seconds.map { EpochInstant(millisecondsSinceEpoch: $0 * 1000) }, model: model, request: body, usage: usage,
            source: SourceLocation(file: "log.jsonl", line: Int(seconds ?? 0) + 1))
    }

    static func report(_ records: [UsageRecord], prices: PriceTable = UsageAnalyzerTests.prices) -> AnalysisReport {
        var analyzer = UsageAnalyzer(prices: prices)
        for record in records { analyzer.add(record) }
        return AnalysisReport(analyzer)
    }

    /// Eight requests over two hours at 1,000 tokens in and 500 out ($0.00045 each for gpt-4o-mini):
    /// "Opening hours?" at 0, 60 and 7,200 s, the script prompt at 120 and 180 s, the piped prompt at 240
    /// and 300 s, and one prompt to a model without a price at 400 s.
    ///
    /// Repeats: 4 of 8 (50%). A 5-minute cache hits at 60, 180 and 300 s (3 of 8, 37.5%); 6 hours also hits
    /// at 7,200 s (4 of 8, 50%, $0.0018 saved), so 6 h is recommended and 5 minutes captures 75%.
    static var standard: AnalysisReport {
        report([
            record("Opening hours?", at: 0), record("Opening hours?", at: 60),
            record(script, at: 120), record(script, at: 180),
            record(piped, at: 240), record(piped, at: 300),
            record("Summarise our handbook", at: 400, model: "house-model-7"),
            record("Opening hours?", at: 7200),
        ])
    }

    /// Token counts with times and no text, as in provider traces.
    static var tokensOnly: AnalysisReport {
        report((0..<5).map { number in
            UsageRecord(timestamp: EpochInstant(millisecondsSinceEpoch: Int64(number) * 600_000), model: "gpt-4o-mini",
                        usage: TokenUsage(promptTokens: 2000, completionTokens: 100), source: SourceLocation(file: "trace.csv", line: number + 2))
        })
    }

    /// Distinct prompts without times or token counts (tokens estimated from text).
    static var noTimesNoRepeats: AnalysisReport {
        report(["First question", "Second question", "Third question"].map { record($0, at: nil, usage: nil) })
    }

    /// Repeats on a model without a price: every dollar figure is zero.
    static var unpriced: AnalysisReport {
        report([0, 30, 90].map { record("Status of ticket?", at: $0, model: "house-model-7") })
    }

    static var empty: AnalysisReport { report([]) }

    static var all: [(name: String, report: AnalysisReport)] {
        [("standard", standard), ("tokens only", tokensOnly), ("no times, no repeats", noTimesNoRepeats), ("unpriced", unpriced), ("empty", empty)]
    }
}
