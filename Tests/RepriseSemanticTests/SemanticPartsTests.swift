import Reprise

import Testing

@testable import RepriseSemantic

/// The semantic layer's parts: the shared scope list, the index ledger, the verification tally and the
/// answer text verification compares.
@Suite struct SemanticPartsTests {
    static func key(_ digit: Character) -> CacheKey { CacheKey(hex: String(repeating: digit, count: 64))! }
    static func unit(_ values: [Float]) -> [Float] {
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return values.map { $0 / norm }
    }
    static func at(_ seconds: Int64) -> EpochInstant { EpochInstant(sinceEpoch: .seconds(seconds)) }

    @Test func aScopeListRoundTripsInHalfPrecision() throws {
        var list = SemanticScopeList(dimension: 3)
        list.merge(
            [.init(key: Self.key("a"), expiresAt: Self.at(2_000), vector: Self.unit([0.1, 0.7, -0.3]))], now: Self.at(1_000), limit: 10)
        let read = try SemanticScopeList(serialized: list.serialized())
        #expect(read.dimension == 3)
        #expect(read.members.map(\.key) == [Self.key("a")])
        #expect(read.members[0].expiresAt == Self.at(2_000))
        let cosine = zip(read.members[0].vector, list.members[0].vector).reduce(Float(0)) { $0 + $1.0 * $1.1 }
        #expect(cosine > 0.9999)
    }

    @Test func mergingDropsExpiredAndWrongSizedMembersAndKeepsThoseExpiringLast() {
        var list = SemanticScopeList(dimension: 2)
        let vector = Self.unit([1, 1])
        list.merge(
            [
                .init(key: Self.key("1"), expiresAt: Self.at(500), vector: vector),
                .init(key: Self.key("2"), expiresAt: Self.at(1_500), vector: vector),
                .init(key: Self.key("3"), expiresAt: Self.at(3_000), vector: vector),
                .init(key: Self.key("4"), expiresAt: Self.at(2_000), vector: vector),
                .init(key: Self.key("5"), expiresAt: Self.at(9_000), vector: [1]),
            ], now: Self.at(1_000), limit: 2)
        #expect(list.members.map(\.key) == [Self.key("3"), Self.key("4")])
        // Re-adding a member keeps its later expiry.
        list.merge([.init(key: Self.key("3"), expiresAt: Self.at(1_200), vector: vector)], now: Self.at(1_000), limit: 2)
        #expect(list.members.first?.expiresAt == Self.at(3_000))
    }

    @Test func aDamagedScopeListIsRefused() {
        var list = SemanticScopeList(dimension: 2)
        list.merge([.init(key: Self.key("b"), expiresAt: Self.at(10), vector: Self.unit([1, 0]))], now: Self.at(0), limit: 5)
        let bytes = list.serialized()
        for length in 0..<bytes.count {
            #expect(throws: CacheEntryDecodingError.self) { try SemanticScopeList(serialized: Array(bytes.prefix(length))) }
        }
        #expect(throws: CacheEntryDecodingError.self) { try SemanticScopeList(serialized: bytes + [0]) }
        #expect(throws: CacheEntryDecodingError.self) { try SemanticScopeList(serialized: Array("RPCE....".utf8)) }
    }

    @Test func theLedgerSweepsExpiredEntriesAndStaysWithinItsCapacity() {
        var ledger = IndexedEntryLedger(capacity: 100)
        var removed: [IndexedEntryLedger.Removal] = []
        for index in 0..<100 {
            removed += ledger.insert("k\(index)", scope: "s", expiresAt: Self.at(index < 50 ? 10 : 1_000), now: Self.at(0))
        }
        #expect(removed.isEmpty)
        // Past the capacity the tenth expiring soonest goes.
        removed = ledger.insert("k100", scope: "s", expiresAt: Self.at(2_000), now: Self.at(0))
        #expect(removed.count == 11)
        #expect(ledger.count == 90)
        // Once they have expired, a sweep drops the rest of the short-lived ones.
        removed = []
        for index in 0..<IndexedEntryLedger.sweepInterval {
            removed += ledger.insert("later\(index % 5)", scope: "s", expiresAt: Self.at(5_000), now: Self.at(100))
        }
        #expect(removed.count == 39)
        #expect(removed.allSatisfy { $0.key.hasPrefix("k") && Int($0.key.dropFirst())! < 50 })
    }

    @Test func theLedgerRemovesAKeyThatMovedScope() {
        var ledger = IndexedEntryLedger(capacity: 10)
        _ = ledger.insert("k", scope: "a", expiresAt: Self.at(10), now: Self.at(0))
        #expect(ledger.insert("k", scope: "b", expiresAt: Self.at(10), now: Self.at(0)) == [.init(key: "k", scope: "a")])
    }

    @Test func theFalseHitRateCarriesAWilsonInterval() {
        var tally = SemanticVerification.Tally()
        #expect(tally.falseHitRate == nil)
        tally.agreed = 99
        tally.disagreed = 1
        let estimate = tally.falseHitRate!
        #expect(estimate.rate == 0.01)
        #expect(abs(estimate.lower - 0.0018) < 0.0001)
        #expect(abs(estimate.upper - 0.0545) < 0.0001)
        tally.agreed = 0
        tally.disagreed = 0
        tally.failed = 3
        #expect(tally.falseHitRate == nil)
    }

    @Test func verificationIsBoundedInFlight() {
        var settings = SemanticSettings()
        settings.verificationRate = 1
        settings.maximumConcurrentVerifications = 2
        let verification = SemanticVerification(settings: settings, sampling: .always)
        #expect(verification.begin())
        #expect(verification.begin())
        #expect(!verification.begin())
        #expect(verification.tally.skipped == 1)
        verification.finish(.agreed, dollars: 0.01)
        #expect(verification.begin())
        settings.verificationRate = 0
        #expect(!SemanticVerification(settings: settings, sampling: .always).begin())
    }

    @Test func answerTextReadsEveryShape() throws {
        let chat = try JSONParser.parse(#"{"choices":[{"message":{"role":"assistant","content":"Paris.","tool_calls":[{"function":{"name":"lookup","arguments":"{\"b\":1, \"a\":2}"}}]}}]}"#)
        #expect(AnswerText.of(chat) == "Paris.\ntool lookup({\"a\":2,\"b\":1})")
        let completion = try JSONParser.parse(#"{"choices":[{"text":"Paris."}]}"#)
        #expect(AnswerText.of(completion) == "Paris.")
        let responses = try JSONParser.parse(
            #"{"output":[{"type":"reasoning"},{"type":"message","content":[{"type":"output_text","text":"Paris."}]},{"type":"function_call","name":"f","arguments":"{}"}]}"#)
        #expect(AnswerText.of(responses) == "Paris.\ntool f({})")
        let messages = try JSONParser.parse(
            #"{"type":"message","content":[{"type":"text","text":"Paris."},{"type":"tool_use","name":"g","input":{"q":"x"}}]}"#)
        #expect(AnswerText.of(messages) == "Paris.\ntool g({\"q\":\"x\"})")
        #expect(AnswerText.of(try JSONParser.parse(#"{"error":{"message":"no"}}"#)) == nil)
    }
}
