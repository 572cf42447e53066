import Reprise
import RepriseAnalysis
import Testing

/// Repeat rates on logs worked out by hand.
@Suite struct RepetitionStatisticsTests {
    static func chat(_ text: String, model: String = "gpt-4o-mini", extra: String = "", line: Int) -> UsageRecord {
        let body = try! JSONParser.parse(#"{"model":"\#(model)","messages":[{"role":"user","content":"\#(text)"}]\#(extra)}"#)
        return UsageRecord(model: model, request: body, source: SourceLocation(file: "log.jsonl", line: line))
    }

    @Test func exactAndNormalizedRepeatsAreCountedAsTheGatewayWouldKeyThem() {
        var statistics = RepetitionStatistics()
        let records = [
            Self.chat("What is the capital of France?", line: 1),
            Self.chat("What is the capital of France?", line: 2),  // exact repeat
            Self.chat("What is the capital of France?", extra: #","stream":true"#, line: 3),  // stream is not in the key: exact repeat
            Self.chat("what is the capital of france", line: 4),  // normalized repeat only
            Self.chat("What is the capital of France?", extra: #","temperature":0"#, line: 5),  // a different key, same text
            Self.chat("Name a river.", line: 6),
        ]
        for record in records { statistics.add(record, dollars: 0.5, tokens: 10) }
        let total = statistics.total
        #expect(total.requests == 6)
        #expect(total.withContent == 6)
        // Distinct keys: France, france-folded, France+temperature, river = 4 → 2 exact repeats of 6.
        #expect(total.uniqueExact == 4)
        #expect(abs(total.exactRepeatRate - 2.0 / 6.0) < 1e-12)
        // Folded: France (lines 1–4 and 5 by text) and river → 2 distinct of 6.
        #expect(total.uniqueNormalized == 2)
        #expect(abs(total.normalizedRepeatRate - 4.0 / 6.0) < 1e-12)
        #expect(abs(total.dollars - 3.0) < 1e-12)
    }

    @Test func breakdownsByModelAndRoute() {
        var statistics = RepetitionStatistics()
        for (line, model) in ["gpt-4o", "gpt-4o", "gpt-4o-mini"].enumerated() {
            statistics.add(Self.chat("Same question", model: model, line: line + 1), dollars: 1, tokens: 1)
        }
        #expect(statistics.byModel["gpt-4o"]?.requests == 2)
        #expect(statistics.byModel["gpt-4o"]?.uniqueExact == 1)
        #expect(statistics.byModel["gpt-4o-mini"]?.exactRepeatRate == 0)
        #expect(statistics.byRoute["/v1/chat/completions"]?.requests == 3)
        // The model is in the key: the same text to two models is not a repeat.
        #expect(statistics.total.uniqueExact == 2)
    }

    @Test func topRepeatedPromptsComeWithCountsAndCost() {
        var statistics = RepetitionStatistics()
        for _ in 0..<3 { statistics.add(Self.chat("Opening hours?", line: 1), dollars: 0.25, tokens: 40) }
        for _ in 0..<2 { statistics.add(Self.chat("Refund policy?", line: 2), dollars: 1, tokens: 90) }
        statistics.add(Self.chat("Only once", line: 3), dollars: 9, tokens: 900)
        let top = statistics.topRepeatedPrompts()
        #expect(top.map(\.text) == ["Opening hours?", "Refund policy?"])
        #expect(top.map(\.count) == [3, 2])
        #expect(abs(top[0].dollars - 0.75) < 1e-12)
        #expect(top[1].tokens == 180)
    }

    @Test func clustersJoinPromptsThatFoldToTheSameText() {
        var statistics = RepetitionStatistics()
        statistics.add(Self.chat("Opening hours?", line: 1), dollars: 0.25, tokens: 40)
        statistics.add(Self.chat("opening   HOURS", line: 2), dollars: 0.5, tokens: 40)
        statistics.add(Self.chat("Opening hours!", line: 3), dollars: 1, tokens: 40)
        statistics.add(Self.chat("Refund policy?", line: 4), dollars: 9, tokens: 900)
        #expect(statistics.topRepeatedPrompts().isEmpty)
        let clusters = statistics.topRepeatedClusters()
        #expect(clusters.count == 1)
        #expect(clusters[0].count == 3)
        #expect(abs(clusters[0].dollars - 1.75) < 1e-12)
        #expect(clusters[0].text == "opening   HOURS")
    }

    @Test func recordsWithoutContentCountAsRequestsButNotForRepeats() {
        var statistics = RepetitionStatistics()
        let trace = UsageRecord(usage: TokenUsage(promptTokens: 300, completionTokens: 20), source: SourceLocation(file: "t", line: 1))
        statistics.add(trace, dollars: 0, tokens: 320)
        statistics.add(trace, dollars: 0, tokens: 320)
        #expect(statistics.total.requests == 2)
        #expect(statistics.total.withContent == 0)
        #expect(statistics.total.exactRepeatRate == 0)
    }

    @Test(arguments: [
        ("What's the  capital of France?", "whats the capital of france"),
        ("  Hello,\tWORLD!!  ", "hello world"),
        ("Ünïcode — stays", "ünïcode stays"),
        ("Order_42, DON'T wait", "order 42 dont wait"),
        ("Order_42, DON’T wait — ok", "order 42 dont wait ok"),
    ])
    func normalizationFoldsCaseSpaceAndPunctuation(text: String, folded: String) {
        #expect(PromptFingerprint.normalized(text) == folded)
    }

    @Test func reprisesOwnKeyIsUsedWhenTheLogCarriesIt() {
        let key = String(repeating: "ab", count: 32)
        let record = UsageRecord(model: "m", key: key, source: SourceLocation(file: "r", line: 1))
        #expect(PromptFingerprint.exact(record) == UInt64("abababababababab", radix: 16))
    }
}
