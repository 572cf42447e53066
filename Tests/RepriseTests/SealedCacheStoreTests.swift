import Crypto
import Reprise
import RepriseTesting
import Testing

@Suite struct SealedCacheStoreTests {
    static let key = SymmetricKey(size: .bits256)

    @Test(arguments: CacheStoreConformance.Check.allCases)
    func conformance(_ check: CacheStoreConformance.Check) async throws {
        try await CacheStoreConformance.run(check) { clock in
            SealedCacheStore(wrapping: MemoryCacheStore(clock: clock), key: Self.key)
        }
    }

    @Test func wrappedStoreHoldsNoAnswerInTheClearButKeepsWhatPurgesNeed() async throws {
        let clock = ManualClock()
        let inner = MemoryCacheStore(clock: clock)
        let sealed = SealedCacheStore(wrapping: inner, key: Self.key)
        let entry = Self.entry(clock, body: "the secret answer is 42")
        try await sealed.setEntry(entry, for: Self.cacheKey)
        let held = try #require(try await inner.entry(for: Self.cacheKey))
        #expect(!String(decoding: held.body, as: UTF8.self).contains("secret answer"))
        #expect(held.contentType == SealedCacheStore.sealedContentType)
        #expect(held.route.isEmpty)
        #expect(held.usage == TokenUsage())
        #expect(held.namespace == "team.abc" && held.model == "gpt-4o")
        #expect(try await sealed.entry(for: Self.cacheKey) == entry)
        #expect(try await sealed.removeEntries(matching: CachePurgeFilter(namespace: "team", model: "gpt-4o")) == 1)
    }

    @Test func wrongKeyReadsAsMissAndIsCounted() async throws {
        let clock = ManualClock()
        let inner = MemoryCacheStore(clock: clock)
        try await SealedCacheStore(wrapping: inner, key: Self.key).setEntry(Self.entry(clock, body: "answer"), for: Self.cacheKey)
        let other = SealedCacheStore(wrapping: inner, key: SymmetricKey(size: .bits256))
        #expect(try await other.entry(for: Self.cacheKey) == nil)
        #expect(try await other.statistics().unreadableEntries == 1)
    }

    @Test func tamperedValueOrClearFieldsReadAsMissAndAreCounted() async throws {
        let clock = ManualClock()
        let inner = MemoryCacheStore(clock: clock)
        let sealed = SealedCacheStore(wrapping: inner, key: Self.key)
        try await sealed.setEntry(Self.entry(clock, body: "answer"), for: Self.cacheKey)
        var held = try #require(try await inner.entry(for: Self.cacheKey))

        var flipped = held
        flipped.body[20] ^= 0x01
        try await inner.setEntry(flipped, for: Self.cacheKey)
        #expect(try await sealed.entry(for: Self.cacheKey) == nil)

        held.model = "gpt-4o-mini"
        try await inner.setEntry(held, for: Self.cacheKey)
        #expect(try await sealed.entry(for: Self.cacheKey) == nil)

        // A value moved to another key does not open there either.
        let otherKey = CacheKeyBuilder().key(namespace: "team.abc", route: "/r", body: .string("other"))
        try await sealed.setEntry(Self.entry(clock, body: "answer"), for: Self.cacheKey)
        try await inner.setEntry(try #require(try await inner.entry(for: Self.cacheKey)), for: otherKey)
        #expect(try await sealed.entry(for: otherKey) == nil)

        #expect(try await sealed.statistics().unreadableEntries == 3)
    }

    @Test(arguments: ["not base64!", "c2hvcnQ="])
    func badKeysAreRefusedWithoutEchoingThem(_ text: String) {
        #expect {
            _ = try SealedCacheStore.key(base64: text, source: "REPRISE_STORE_KEY")
        } throws: { error in
            "\(error)".contains("REPRISE_STORE_KEY") && !"\(error)".contains(text)
        }
    }

    static let cacheKey = CacheKeyBuilder().key(namespace: "team.abc", route: "/v1/chat/completions", body: .string("sealed"))

    static func entry(_ clock: ManualClock, body: String) -> CacheEntry {
        CacheEntry(
            body: Array(body.utf8), model: "gpt-4o", namespace: "team.abc", route: "/v1/chat/completions",
            usage: TokenUsage(promptTokens: 10, completionTokens: 5), createdAt: clock.now, timeToLive: .seconds(300))
    }
}
