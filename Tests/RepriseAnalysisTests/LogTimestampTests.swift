import Reprise
@testable import RepriseAnalysis
import Testing

/// Reading the times logs write.
@Suite struct LogTimestampTests {
    /// 2023-11-16T18:15:46Z.
    static let seconds: Int64 = 1_700_158_546

    static func instant(_ seconds: Int64, nanoseconds: Int64 = 0) -> EpochInstant {
        EpochInstant(sinceEpoch: .seconds(seconds) + .nanoseconds(nanoseconds))
    }

    @Test(arguments: [
        ("2023-11-16T18:15:46Z", Int64(0)),
        ("2023-11-16T18:15:46.123Z", 123_000_000),
        ("2023-11-16 18:15:46.6805900", 680_590_000),
        ("2023-11-16T20:15:46+02:00", 0),
        ("2023-11-16T13:15:46.5-0500", 500_000_000),
        ("2023-11-16 18:15:46 UTC", 0),
        ("1700158546", 0),
        ("1700158546.25", 250_000_000),
        ("1700158546250", 250_000_000),
        ("1700158546250000", 250_000_000),
    ])
    func textTimesAreReadExactly(text: String, nanoseconds: Int64) {
        #expect(LogTimestamp.instant(text: text) == Self.instant(Self.seconds, nanoseconds: nanoseconds))
    }

    @Test func aDateAloneIsMidnightUTC() {
        #expect(LogTimestamp.instant(text: "2023-11-16") == Self.instant(1_700_092_800))
    }

    @Test func numbersAreSecondsOrMillisecondsByMagnitudeUnlessTheUnitIsKnown() throws {
        #expect(try LogTimestamp.instant(from: 1_700_158_546) == Self.instant(Self.seconds))
        #expect(try LogTimestamp.instant(from: 1_700_158_546_250) == Self.instant(Self.seconds, nanoseconds: 250_000_000))
        #expect(try LogTimestamp.instant(from: 1_700_158_546.5) == Self.instant(Self.seconds, nanoseconds: 500_000_000))
        // A trace's relative milliseconds are small numbers.
        #expect(try LogTimestamp.instant(from: 1500, unit: .milliseconds) == Self.instant(1, nanoseconds: 500_000_000))
        #expect(try LogTimestamp.instant(from: nil) == nil)
    }

    @Test func nonTimesAreRejectedWithTheValue() {
        #expect(LogTimestamp.instant(text: "yesterday") == nil)
        #expect(LogTimestamp.instant(text: "2023-13-01") == nil)
        #expect(LogTimestamp.instant(text: "2023-11-16T18:15:46Q") == nil)
        #expect(throws: LineRejection.self) { try LogTimestamp.instant(from: "soon") }
        #expect(throws: LineRejection.self) { try LogTimestamp.instant(from: [1]) }
    }
}
