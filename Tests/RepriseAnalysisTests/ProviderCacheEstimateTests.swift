import Reprise
import RepriseAnalysis
import Testing

/// Provider prompt-cache savings on prefixes worked out by hand.
@Suite struct ProviderCacheEstimateTests {
    static func blocks(_ hashes: [Int], tokens: Int? = nil) -> PromptPrefixes {
        let record = UsageRecord(
            usage: tokens.map { TokenUsage(promptTokens: $0) }, prefixBlockHashes: hashes, prefixBlockTokens: 512,
            source: SourceLocation(file: "trace", line: 1))
        return PromptPrefixes(record)!
    }

    @Test func sharedBlocksWithinTheLifetimeAreReadFromTheCache() {
        var estimate = ProviderCacheEstimate(prices: PriceTable(prices: [
            "gpt-4o": ModelPrice(provider: "openai", input: 2.5, cachedInput: 1.25, output: 10),
        ]))
        // 3 blocks (1,536 tokens), then the same 3 blocks plus one more 60 s later: 1,536 cached.
        estimate.add(Self.blocks([1, 2, 3]), model: "gpt-4o", time: 0)
        estimate.add(Self.blocks([1, 2, 3, 4]), model: "gpt-4o", time: 60)
        // 10 minutes after its last use, the prefix has left the cache.
        estimate.add(Self.blocks([1, 2, 3]), model: "gpt-4o", time: 60 + 600)
        let model = estimate.models["gpt-4o"]!
        #expect(model.requests == 3)
        #expect(model.inputTokens == 1536 + 2048 + 1536)
        #expect(model.cachedTokens == 1536)
        #expect(!model.estimated)
        // OpenAI: 1,536 tokens at (2.5 − 1.25) $/M.
        #expect(abs(model.savedDollars - 1536 * 1.25 / 1_000_000) < 1e-12)
    }

    @Test func prefixesShorterThanTheMinimumAreNeverCached() {
        var estimate = ProviderCacheEstimate()
        estimate.add(Self.blocks([1]), model: "gpt-4o", time: 0)
        estimate.add(Self.blocks([1, 9]), model: "gpt-4o", time: 1)
        // The shared prefix is one 512-token block: under 1,024.
        #expect(estimate.models["gpt-4o"]?.cachedTokens == 0)
    }

    @Test func anthropicPaysForWritesAndSavesOnReads() {
        var estimate = ProviderCacheEstimate(prices: PriceTable(prices: [
            "claude-x": ModelPrice(provider: "anthropic", input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15),
        ]))
        estimate.add(Self.blocks([1, 2]), model: "claude-x", time: 0)  // writes 1,024
        estimate.add(Self.blocks([1, 2]), model: "claude-x", time: 10)  // reads 1,024
        let model = estimate.models["claude-x"]!
        #expect(model.writtenTokens == 1024)
        #expect(model.cachedTokens == 1024)
        // Read: 1,024 × 3 × 0.9 saved; write: 1,024 × (3.75 − 3) extra.
        let expected = (1024 * 3 * 0.9 - 1024 * 0.75) / 1_000_000
        #expect(abs(model.savedDollars - expected) < 1e-12)
    }

    @Test func chatBodiesShareTheirSystemPromptAndEarlierTurns() throws {
        let system = String(repeating: "You are a meticulous assistant. ", count: 200)
        func record(_ turns: [String], line: Int) throws -> UsageRecord {
            let messages = ([["role": "system", "content": JSONValue.string(system)]] + turns.map { ["role": "user", "content": JSONValue.string($0)] })
            let body: JSONValue = ["model": "gpt-4o", "messages": .array(messages.map { .object($0) })]
            return UsageRecord(model: "gpt-4o", request: body, source: SourceLocation(file: "log", line: line))
        }
        var estimate = ProviderCacheEstimate()
        estimate.add(try #require(PromptPrefixes(try record(["First question"], line: 1))), model: "gpt-4o", time: 0)
        estimate.add(try #require(PromptPrefixes(try record(["Another question"], line: 2))), model: "gpt-4o", time: 5)
        let model = estimate.models["gpt-4o"]!
        // The 6,400-character system prompt (about 1,600 tokens) is shared; the questions are not.
        #expect(model.cachedTokens > 1024)
        #expect(model.cachedTokens < model.inputTokens / 2 + 100)
        #expect(model.estimated)
    }
}
