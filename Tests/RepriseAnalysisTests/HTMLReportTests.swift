import Foundation
import Reprise
import RepriseAnalysis
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct HTMLReportTests {
    /// The page parsed as XML: well-formed, or the test fails.
    static func parse(_ html: String) throws -> XMLDocument {
        try XMLDocument(xmlString: html, options: [])
    }

    static func elements(_ document: XMLDocument, _ path: String) throws -> [XMLElement] {
        try document.nodes(forXPath: path).compactMap { $0 as? XMLElement }
    }

    @Test func pageIsWellFormedWithOneAccessibleChartPerFigure() throws {
        let html = HTMLReport(ReportFixtures.standard).rendered
        let document = try Self.parse(html)
        let charts = try Self.elements(document, "//svg")
        // Volume over time, hit rate and dollars against TTL, savings by model, most repeated prompts.
        #expect(charts.count == 5)
        #expect(html.components(separatedBy: "<svg").count - 1 == 5)
        for chart in charts {
            let label = try #require(chart.attribute(forName: "aria-label")?.stringValue)
            #expect(!label.isEmpty)
            #expect(chart.attribute(forName: "role")?.stringValue == "img")
            #expect(chart.elements(forName: "title").first?.stringValue == label)
            #expect(try chart.nodes(forXPath: ".//rect | .//polyline").count > 0, "empty chart \(label)")
        }
        let titles = charts.compactMap { $0.attribute(forName: "aria-label")?.stringValue }
        #expect(titles == ["Volume and repeat rate over time", "Hit rate against TTL", "Dollars saved against TTL", "Savings by model", "Most repeated prompts"])
    }

    @Test func pageIsSelfContained() {
        let html = HTMLReport(ReportFixtures.standard).rendered.lowercased()
        #expect(!html.contains("http://"))
        #expect(!html.contains("https://"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("url("))
        #expect(!html.contains("@import"))
        #expect(html.contains("<style>"))
    }

    @Test func textFromTheLogIsEscaped() throws {
        let html = HTMLReport(ReportFixtures.standard).rendered
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("Compare a | b then c &amp; &quot;d&quot;"))
        // The prompt reaches the reader as text, in the table and in the chart's labels.
        let document = try Self.parse(html)
        let cells = try Self.elements(document, "//td").map(\.stringValue)
        #expect(cells.contains(ReportFixtures.script))
        let labels = try Self.elements(document, "//svg//text").compactMap(\.stringValue)
        #expect(labels.contains { $0.hasSuffix(". " + ReportFixtures.script) })
    }

    @Test func sectionsFollowTheTerminalSummary() throws {
        let report = ReportFixtures.standard
        let document = try Self.parse(HTMLReport(report).rendered)
        let headings = try Self.elements(document, "//h2").compactMap(\.stringValue)
        #expect(headings == [
            "Usage", "Volume and repeats over time", "Repetition",
            "Replay through the response cache (exact matches, volatile prompts excluded)", "Savings by model (at the recommended TTL, 6 h)",
            "Replay by cache size", "Provider prompt caching (shared prefixes of 1,024+ tokens within 5 minutes)",
            "Most repeated prompts", "Advice: cache",
        ])
        let paragraphs = try Self.elements(document, "//p").compactMap(\.stringValue)
        #expect(paragraphs.contains(report.advice.explanation))
        #expect(paragraphs.contains { $0.hasPrefix("Recommended TTL: 6 h") })
        #expect(paragraphs.contains { $0.contains("list prices for fine-tuning") || $0.contains("assumed: $") })
        let rows = try Self.elements(document, "//tr").map { row in row.elements(forName: "td").compactMap(\.stringValue) }
        #expect(rows.contains { $0.prefix(4) == ["TTL 6 h", "50.0%", "50.0%", "$0.0018"] })
        #expect(rows.contains(["all", "8", "50.0%", "50.0%"]))
    }

    @Test(arguments: ReportFixtures.all.map { $0.name })
    func everyCoordinateIsFinite(name: String) throws {
        let report = ReportFixtures.all.first { $0.name == name }!.report
        let html = HTMLReport(report).rendered
        let document = try Self.parse(html)
        let numeric: Set = ["x", "y", "width", "height", "cx", "cy", "r", "x1", "y1", "x2", "y2", "font-size", "stroke-width"]
        var checked = 0
        for element in try Self.elements(document, "//svg//*") + Self.elements(document, "//svg") {
            for attribute in element.attributes ?? [] {
                guard let name = attribute.name, let value = attribute.stringValue else { continue }
                let numbers: [Substring]
                if numeric.contains(name) {
                    numbers = [Substring(value)]
                } else if name == "points" || name == "viewBox" {
                    numbers = value.split { $0 == " " || $0 == "," }
                } else {
                    continue
                }
                for number in numbers {
                    let parsed = try #require(Double(number), "\(name)=\"\(value)\" in \(element.name ?? "?")")
                    #expect(parsed.isFinite)
                    checked += 1
                }
            }
        }
        #expect(checked > 0 || !html.contains("<svg"))
        #expect(MarkdownReportTests.nonFiniteWords(in: html).isEmpty)
    }

    @Test func chartsThatWouldBeEmptySayWhy() throws {
        let noTimes = HTMLReport(ReportFixtures.noTimesNoRepeats).rendered
        #expect(noTimes.contains("The log has no timestamps"))
        #expect(noTimes.contains("the hit rate is 0% at every TTL"))
        #expect(noTimes.contains("No prompt is sent more than once"))
        // One sentence for no repeats is enough: the dollars chart is left out rather than explained twice.
        #expect(!noTimes.contains("Dollars saved against TTL") && !noTimes.contains("savings in dollars are"))
        #expect(noTimes.contains("No model saves anything"))

        let unpriced = HTMLReport(ReportFixtures.unpriced).rendered
        #expect(unpriced.contains("savings in dollars are $0 at every TTL"))
        #expect(unpriced.contains("Spend is $0 for every model"))
        let document = try Self.parse(unpriced)
        let titles = try Self.elements(document, "//svg").compactMap { $0.attribute(forName: "aria-label")?.stringValue }
        #expect(titles == ["Volume and repeat rate over time", "Hit rate against TTL", "Most repeated prompts"])

        let tokensOnly = HTMLReport(ReportFixtures.tokensOnly).rendered
        #expect(tokensOnly.contains("repeats cannot be measured"))
        #expect(tokensOnly.contains("the log has no prompt text, so repeats are not shown"))
        #expect(!tokensOnly.contains("Hit rate against TTL"))

        let empty = HTMLReport(ReportFixtures.empty).rendered
        _ = try Self.parse(empty)
        #expect(!empty.contains("<svg"))
    }
}
