import Reprise
import Testing

@Suite struct CacheEntryRecordTests {
    private let entry = CacheEntry(
        body: [0x00, 0xFF, 0x7B, 0x7D], status: 203, contentType: "application/json", model: "gpt-4o",
        namespace: "team.3f9a", route: "/v1/chat/completions",
        usage: TokenUsage(promptTokens: 12, completionTokens: 34, cachedPromptTokens: 5),
        createdAt: EpochInstant(sinceEpoch: .seconds(1_767_225_601) + .nanoseconds(123_456_789)),
        timeToLive: .milliseconds(1500), upstreamLatency: .microseconds(842_001), staleRetention: .seconds(90))

    @Test func roundTripsEveryFieldExactly() throws {
        #expect(try CacheEntry(record: entry.encodedRecord()) == entry)
    }

    @Test func everyTruncationIsRefused() {
        let record = entry.encodedRecord()
        for length in 0..<record.count {
            #expect(throws: CacheEntryRecordError.self) { try CacheEntry(record: record.prefix(length)) }
        }
        #expect(throws: CacheEntryRecordError.truncated) { try CacheEntry(record: record + [0]) }
    }

    @Test func otherVersionsAndForeignBytesAreRefused() {
        var record = entry.encodedRecord()
        record[5] = 2
        #expect(throws: CacheEntryRecordError.unsupportedVersion(2)) { try CacheEntry(record: record) }
        #expect(throws: CacheEntryRecordError.notARecord) { try CacheEntry(record: Array(#"{"body":"x"}"#.utf8)) }
    }
}
