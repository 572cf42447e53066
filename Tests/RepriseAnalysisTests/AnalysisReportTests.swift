import Reprise
import RepriseAnalysis
import Testing

@Suite struct AnalysisReportTests {
    @Test func jsonCarriesTheSchemaAndTheMeasuredFigures() throws {
        var analyzer = UsageAnalyzer()
        for (second, text) in [(0, "Opening hours?"), (60, "Opening hours?"), (120, "Refund policy?"), (7200, "Opening hours?")] {
            analyzer.add(UsageAnalyzerTests.record(text, at: Int64(second)))
        }
        let json = AnalysisReport(analyzer).json
        #expect(json["schema_version"]?.intValue == 1)
        #expect(json["requests"]?.intValue == 4)
        #expect(json["repetition"]?["exact_repeat_rate"]?.doubleValue == 0.5)
        #expect(json["period"]?["start"]?.stringValue == "1970-01-01T00:00:00.000Z")
        let exact = try #require(json["simulation"]?["exact"]?.arrayValue)
        let byPolicy = Dictionary(uniqueKeysWithValues: exact.compactMap { outcome in
            outcome["policy"]?.stringValue.map { ($0, outcome["hits"]?.intValue ?? -1) }
        })
        // 5 min: the repeat at 60 s hits; the one at 7,200 s is 2 h after storing. 6 h and unlimited: both.
        #expect(byPolicy["TTL 5 min"] == 1)
        #expect(byPolicy["TTL 6 h"] == 2)
        #expect(byPolicy["unlimited"] == 2)
        #expect(json["recommendation"]?["ttl_seconds"]?.intValue == 21_600)
        #expect(json["recommendation"]?["default_5_minutes_share"]?.doubleValue == 0.5)
        #expect(json["top_repeated"]?.arrayValue?.first?["count"]?.intValue == 3)
        // Four requests in two hours: a month is 360 such periods; half the spend repeats within 6 h.
        #expect(json["monthly"]?["assumed"]?.boolValue == false)
        #expect(json["monthly"]?["factor"]?.doubleValue == 360)
        #expect(json["advice"]?["verdict"]?.stringValue == "cache")
        // Canonical text round-trips through the parser.
        #expect(try JSONParser.parse(json.canonicalText) == json)
    }
}
