import Reprise
import Testing

@Suite struct CacheEntrySerializationTests {
    static let entry = CacheEntry(
        body: Array(#"{"a":"é ✓"}"#.utf8) + [0, 255], status: 203, contentType: "application/json; charset=utf-8",
        model: "gpt-4o", namespace: "team.abc", route: "/v1/responses",
        usage: TokenUsage(promptTokens: 1_000_000, completionTokens: 7, cachedPromptTokens: 3),
        createdAt: EpochInstant(sinceEpoch: .seconds(1_767_225_600) + .nanoseconds(123_456_789)), timeToLive: .milliseconds(300_001),
        upstreamLatency: .microseconds(842_017), staleRetention: .seconds(90))

    static var semanticEntry: CacheEntry {
        var entry = Self.entry
        entry.semantic = SemanticSource(
            scope: String(repeating: "ab", count: 32), text: "Is ibuprofen safe — «really»?",
            vector: [0.6, -0.8, 0, .leastNonzeroMagnitude, -0.0])
        return entry
    }

    @Test func roundTripsEveryField() throws {
        #expect(try CacheEntry(serialized: Self.entry.serialized()) == Self.entry)
        let semantic = try CacheEntry(serialized: Self.semanticEntry.serialized())
        #expect(semantic == Self.semanticEntry)
        #expect(semantic.semantic?.vector.map(\.bitPattern) == Self.semanticEntry.semantic?.vector.map(\.bitPattern))
    }

    @Test func everyTruncationIsRefused() {
        for entry in [Self.entry, Self.semanticEntry] {
            let bytes = entry.serialized()
            for length in 0..<bytes.count {
                #expect(throws: CacheEntryDecodingError.self) { try CacheEntry(serialized: Array(bytes.prefix(length))) }
            }
        }
    }

    @Test func entriesWrittenInTheFirstFormatStillRead() throws {
        // Format 1 is format 2 without the trailing semantic flag.
        var bytes = Array(Self.entry.serialized().dropLast())
        bytes[4] = 1
        #expect(try CacheEntry(serialized: bytes) == Self.entry)
    }

    @Test func aVectorLongerThanTheRecordIsRefused() {
        var bytes = Self.semanticEntry.serialized()
        // The component count sits just before the five 4-byte components.
        bytes[bytes.count - 5 * 4 - 4] = 0xFF
        #expect(throws: CacheEntryDecodingError.truncated) { try CacheEntry(serialized: bytes) }
    }

    /// Found by `FuzzCacheEntry`: a NaN component read back unequal to itself, and would make every
    /// similarity to the entry NaN. The last component here is the fuzzer's NaN, then an infinity.
    @Test(arguments: [[0xFF, 0xFF, 0x04, 0xF3], [0x7F, 0x80, 0x00, 0x00]] as [[UInt8]])
    func aVectorComponentThatIsNotFiniteIsRefused(component: [UInt8]) {
        var bytes = Self.semanticEntry.serialized()
        bytes.replaceSubrange((bytes.count - 4)..., with: component)
        #expect(throws: CacheEntryDecodingError.invalidVector) { try CacheEntry(serialized: bytes) }
    }

    @Test func otherVersionsMagicsAndTrailingBytesAreRefused() {
        var bytes = Self.entry.serialized()
        bytes[4] = 3
        #expect(throws: CacheEntryDecodingError.unsupportedVersion(3)) { try CacheEntry(serialized: bytes) }
        #expect(throws: CacheEntryDecodingError.notAnEntry) { try CacheEntry(serialized: Array("{\"json\": true}".utf8)) }
        #expect(throws: CacheEntryDecodingError.trailingBytes(1)) { try CacheEntry(serialized: Self.entry.serialized() + [0]) }
    }
}
