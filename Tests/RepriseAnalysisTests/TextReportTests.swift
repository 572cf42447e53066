import Reprise
import RepriseAnalysis
import Testing

@Suite struct TextReportTests {
    static func report() -> AnalysisReport {
        var analyzer = UsageAnalyzer()
        for (second, text) in [(0, "Opening hours?"), (60, "Opening hours?"), (120, "What is the latest news today?"), (7200, "Opening hours?")] {
            analyzer.add(UsageAnalyzerTests.record(text, at: Int64(second)))
        }
        return AnalysisReport(analyzer)
    }

    @Test func summaryNamesTheFiguresAndTheRecommendation() {
        let text = TextReport(Self.report()).rendered
        #expect(text.contains("Requests        4"))
        #expect(text.contains("TTL 5 min"))
        #expect(text.contains("Recommended TTL: 6 h"))
        #expect(text.contains("The default 5 minutes captures 50.0%"))
        #expect(text.contains("1 about the present"))
        #expect(text.contains("Opening hours?"))
        #expect(text.contains("Advice: cache"))
        #expect(!text.contains("\u{1B}["))
    }

    @Test func stylingIsOnlyForTerminals() {
        #expect(TextReport(Self.report(), styled: true).rendered.contains("\u{1B}[1m"))
    }

    @Test func tableColumnsLineUp() {
        let lines = TextReport(Self.report()).rendered.split(separator: "\n")
        let rows = lines.filter { $0.hasPrefix("  TTL ") || $0.hasPrefix("  unlimited") }
        #expect(rows.count == 7)
        #expect(Set(rows.map(\.count)).count == 1)
    }

    @Test func routesAreBrokenDownWhenTheLogHasSeveral() throws {
        var analyzer = UsageAnalyzer()
        analyzer.add(UsageAnalyzerTests.record("Hi", at: 0))
        analyzer.add(UsageAnalyzerTests.record("Hi", at: 1))
        let body = try JSONParser.parse(#"{"model":"text-embedding-3-small","input":"Hi"}"#)
        analyzer.add(UsageRecord(model: "text-embedding-3-small", route: "/v1/embeddings", request: body, source: SourceLocation(file: "f", line: 3)))
        let text = TextReport(AnalysisReport(analyzer)).rendered
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("  /v1/chat/completions") && $0.contains("50.0%") })
        #expect(text.split(separator: "\n").contains { $0.hasPrefix("  /v1/embeddings") })
        #expect(!TextReport(Self.report()).rendered.contains("/v1/chat/completions"))
    }
}
