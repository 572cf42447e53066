import Reprise
import Testing

@Suite struct CacheEntrySerializationTests {
    static let entry = CacheEntry(
        body: Array(#"{"a":"é ✓"}"#.utf8) + [0, 255], status: 203, contentType: "application/json; charset=utf-8",
        model: "gpt-4o", namespace: "team.abc", route: "/v1/responses",
        usage: TokenUsage(promptTokens: 1_000_000, completionTokens: 7, cachedPromptTokens: 3),
        createdAt: EpochInstant(sinceEpoch: .seconds(1_767_225_600) + .nanoseconds(123_456_789)), timeToLive: .milliseconds(300_001),
        upstreamLatency: .microseconds(842_017), staleRetention: .seconds(90))

    @Test func roundTripsEveryField() throws {
        #expect(try CacheEntry(serialized: Self.entry.serialized()) == Self.entry)
    }

    @Test func everyTruncationIsRefused() {
        let bytes = Self.entry.serialized()
        for length in 0..<bytes.count {
            #expect(throws: CacheEntryDecodingError.self) { try CacheEntry(serialized: Array(bytes.prefix(length))) }
        }
    }

    @Test func otherVersionsMagicsAndTrailingBytesAreRefused() {
        var bytes = Self.entry.serialized()
        bytes[4] = 2
        #expect(throws: CacheEntryDecodingError.unsupportedVersion(2)) { try CacheEntry(serialized: bytes) }
        #expect(throws: CacheEntryDecodingError.notAnEntry) { try CacheEntry(serialized: Array("{\"json\": true}".utf8)) }
        #expect(throws: CacheEntryDecodingError.trailingBytes(1)) { try CacheEntry(serialized: Self.entry.serialized() + [0]) }
    }
}
