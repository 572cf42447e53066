import Foundation
import Reprise
import RepriseAnalysis
import Testing

@Suite struct MarkdownReportTests {
    @Test func tablesCarryTheMeasuredFigures() {
        let markdown = MarkdownReport(ReportFixtures.standard).rendered
        #expect(markdown.hasPrefix("# Reprise usage analysis\n"))
        #expect(markdown.contains("| Requests | 8 |"))
        #expect(markdown.contains("| Unpriced | house-model-7 (counted at \\$0; add them with --prices) |"))
        #expect(markdown.contains("| slice | requests | exact repeats | normalized repeats |\n| --- | ---: | ---: | ---: |"))
        #expect(markdown.contains("| all | 8 | 50.0% | 50.0% |"))
        #expect(markdown.contains("| gpt-4o-mini | 7 | 57.1% |"))
        #expect(markdown.contains("| TTL 5 min | 37.5% | 37.5% |"))
        #expect(markdown.contains("| TTL 6 h | 50.0% | 50.0% | \\$0.0018 |"))
        #expect(markdown.contains("Recommended TTL: 6 h, the shortest capturing 100.0% of what an unlimited cache would save (in dollars). The default 5 minutes captures 75.0%."))
        // Savings by model, at the recommended TTL: all of gpt-4o-mini's repeats, nothing for the unpriced model.
        #expect(markdown.contains("## Savings by model (at the recommended TTL, 6 h)"))
        #expect(markdown.contains(#/\| gpt-4o-mini \| \\\$0\.003\d \| \\\$0\.0018 \| 57\.1% \|/#))
        // Hour 0 holds seven requests, three repeating; hour 2 the last repeat.
        #expect(markdown.contains("| 1970-01-01 00:00 | 7 | 42.9% |"))
        #expect(markdown.contains("| 1970-01-01 02:00 | 1 | 100.0% |"))
        #expect(markdown.contains("## Advice: cache"))
        #expect(markdown.contains(ReportFixtures.standard.advice.explanation.replacingOccurrences(of: "$", with: "\\$")))
    }

    @Test func promptTextCannotBreakATableOrAddMarkup() {
        let markdown = MarkdownReport(ReportFixtures.standard).rendered
        #expect(markdown.contains(#/\| [23] \| 2 \| \\\$0\.0009 \| gpt-4o-mini \| Compare a \\\| b then c \\& "d" \|/#))
        #expect(markdown.contains("\\<script\\>alert(1)\\</script\\>"))
        #expect(!markdown.contains("<script>"))
        // Every table row has as many cells as its header.
        for table in markdown.components(separatedBy: "\n\n") where table.hasPrefix("|") {
            let counts = table.split(separator: "\n").map { line in line.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count }
            #expect(Set(counts).count == 1, "ragged table:\n\(table)")
        }
    }

    @Test func estimatedTokensAreMarked() {
        let markdown = MarkdownReport(ReportFixtures.noTimesNoRepeats).rendered
        #expect(markdown.contains("(some estimated from text: about 4 bytes a token)"))
        #expect(markdown.contains("| gpt-4o-mini (estimated) |"))
        #expect(markdown.contains("The log has no timestamps"))
    }

    @Test func logsWithoutTextSayWhatCannotBeMeasured() {
        let markdown = MarkdownReport(ReportFixtures.tokensOnly).rendered
        #expect(markdown.contains("repeats cannot be measured"))
        #expect(!markdown.contains("## Replay through the response cache"))
        #expect(markdown.contains("| 1970-01-01 00:00 | 5 | 0.0% |"))
    }

    @Test(arguments: ReportFixtures.all.map { $0.name })
    func everyEdgeCaseRendersWithoutNonFiniteNumbers(name: String) {
        let report = ReportFixtures.all.first { $0.name == name }!.report
        let markdown = MarkdownReport(report).rendered
        #expect(markdown.contains("## Usage"))
        #expect(markdown.contains("## Advice: "))
        #expect(Self.nonFiniteWords(in: markdown).isEmpty)
    }

    /// Words such as `nan` or `inf` that a non-finite number prints as.
    static func nonFiniteWords(in text: String) -> [Substring] {
        text.split { !$0.isLetter }.filter { ["nan", "inf", "infinity"].contains($0.lowercased()) }
    }
}
