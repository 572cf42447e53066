import Foundation
import Reprise
import Testing

@Suite struct TokenUsageTests {
    func usage(_ json: String) throws -> TokenUsage? {
        TokenUsage(openAIResponse: try JSONParser.parse(json))
    }

    @Test func readsChatCompletionUsage() throws {
        let json = """
            {"id": "chatcmpl-1", "object": "chat.completion", "choices": [],
             "usage": {"prompt_tokens": 1200, "completion_tokens": 85, "total_tokens": 1285,
                       "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
                       "completion_tokens_details": {"reasoning_tokens": 0}}}
            """
        #expect(try usage(json) == TokenUsage(promptTokens: 1200, completionTokens: 85, cachedPromptTokens: 1024))
        #expect(try usage(json)?.totalTokens == 1285)
    }

    @Test func readsResponsesAPIUsage() throws {
        let json = """
            {"id": "resp_1", "object": "response", "output": [],
             "usage": {"input_tokens": 328, "input_tokens_details": {"cached_tokens": 256},
                       "output_tokens": 52, "output_tokens_details": {"reasoning_tokens": 12}, "total_tokens": 380}}
            """
        #expect(try usage(json) == TokenUsage(promptTokens: 328, completionTokens: 52, cachedPromptTokens: 256))
    }

    @Test func readsEmbeddingsUsage() throws {
        let json = """
            {"object": "list", "data": [{"object": "embedding", "index": 0, "embedding": [0.1, -0.2]}],
             "model": "text-embedding-3-small", "usage": {"prompt_tokens": 8, "total_tokens": 8}}
            """
        #expect(try usage(json) == TokenUsage(promptTokens: 8, completionTokens: 0, cachedPromptTokens: 0))
    }

    @Test func readsCompletionUsageWithoutDetails() throws {
        #expect(try usage(#"{"usage": {"prompt_tokens": 5, "completion_tokens": 7}}"#) == TokenUsage(promptTokens: 5, completionTokens: 7))
    }

    @Test(arguments: [#"{"id": "x"}"#, #"{"usage": null}"#, #"{"usage": 12}"#, "[1, 2]", #""usage""#])
    func answerWithoutUsageHasNone(_ json: String) throws {
        #expect(try usage(json) == nil)
    }

    @Test func negativeOrMalformedCountsAreReadAsZero() throws {
        let json = #"{"usage": {"prompt_tokens": -3, "completion_tokens": "many", "prompt_tokens_details": {"cached_tokens": 2.5}}}"#
        #expect(try usage(json) == TokenUsage())
    }

    @Test func countsSpelledAsDecimalsAreRead() throws {
        #expect(try usage(#"{"usage": {"prompt_tokens": 1.2e3, "completion_tokens": 40.0}}"#) == TokenUsage(promptTokens: 1200, completionTokens: 40))
    }
}

/// Anthropic's `usage`, and prompt-cache pricing by the shared multipliers.
@Suite struct AnthropicTokenUsageTests {
    @Test func readsAnthropicUsageWithCacheTokens() throws {
        let json = """
            {"id": "msg_1", "type": "message", "content": [],
             "usage": {"input_tokens": 50, "output_tokens": 120, "cache_creation_input_tokens": 2000,
                       "cache_read_input_tokens": 3000,
                       "cache_creation": {"ephemeral_5m_input_tokens": 1500, "ephemeral_1h_input_tokens": 500}}}
            """
        let usage = try #require(TokenUsage(anthropicResponse: try JSONParser.parse(json)))
        // Anthropic's input_tokens leaves the cache tokens out; promptTokens counts every input token.
        #expect(usage == TokenUsage(promptTokens: 5050, completionTokens: 120, cachedPromptTokens: 3000, cacheWriteTokens: 2000, cacheWriteOneHourTokens: 500))
        #expect(usage.cacheWriteFiveMinuteTokens == 1500)
    }

    @Test func anthropicUsageWithoutCacheFieldsHasNone() throws {
        let usage = try #require(TokenUsage(anthropicResponse: try JSONParser.parse(#"{"usage":{"input_tokens":10,"output_tokens":3}}"#)))
        #expect(usage == TokenUsage(promptTokens: 10, completionTokens: 3))
    }

    @Test func anthropicCachePricesFollowTheMultipliers() {
        let price = ModelPrice(provider: "anthropic", input: 3, cachedInput: 0.3, cacheWrite: 3.75, output: 15)
        #expect(abs(price.cacheReadPrice - 0.3) < 1e-12)
        #expect(abs(price.cacheWritePrice(oneHour: false) - 3.75) < 1e-12)
        #expect(abs(price.cacheWritePrice(oneHour: true) - 6) < 1e-12)
        let usage = TokenUsage(promptTokens: 5050, completionTokens: 120, cachedPromptTokens: 3000, cacheWriteTokens: 2000, cacheWriteOneHourTokens: 500)
        // 50 uncached × 3 + 3,000 × 0.3 + 1,500 × 3.75 + 500 × 6 + 120 × 15, per million.
        #expect(abs(price.dollars(for: usage) - (150 + 900 + 5625 + 3000 + 1800) / 1_000_000) < 1e-12)
        let effect = price.promptCacheEffect(of: usage)
        #expect(abs(effect.savedDollars - 3000 * 2.7 / 1_000_000) < 1e-12)
        #expect(abs(effect.writeDollars - (1500 * 0.75 + 500 * 3) / 1_000_000) < 1e-12)
    }

    @Test func openAICachedTokensUseTheTablesCachedInputPrice() {
        let price = ModelPrice(provider: "openai", input: 2.5, cachedInput: 1.25, output: 10)
        let usage = TokenUsage(promptTokens: 2000, completionTokens: 100, cachedPromptTokens: 1024)
        #expect(abs(price.dollars(for: usage) - (976 * 2.5 + 1024 * 1.25 + 100 * 10) / 1_000_000) < 1e-12)
        let effect = price.promptCacheEffect(of: usage)
        #expect(abs(effect.savedDollars - 1024 * 1.25 / 1_000_000) < 1e-12)
        #expect(effect.writeDollars == 0)
    }

    @Test func usageStoredBeforeCacheWritesExistedDecodes() throws {
        let old = #"{"promptTokens":12,"completionTokens":3,"cachedPromptTokens":1}"#
        let usage = try JSONDecoder().decode(TokenUsage.self, from: Data(old.utf8))
        #expect(usage == TokenUsage(promptTokens: 12, completionTokens: 3, cachedPromptTokens: 1))
    }
}

/// Counts a broken or hostile upstream reports: never a trap, and never believed.
@Suite struct ImplausibleTokenUsageTests {
    static let hostileCounts = ["9223372036854775807", "4611686018427387904", "1e30", "4294967296"]

    @Test(arguments: hostileCounts)
    func openAICountsBeyondTheLimitAreClampedAndImplausible(_ count: String) throws {
        let json = #"{"usage": {"prompt_tokens": \#(count), "completion_tokens": \#(count), "prompt_tokens_details": {"cached_tokens": \#(count)}}}"#
        let usage = try #require(TokenUsage(openAIResponse: try JSONParser.parse(json)))
        #expect(usage.promptTokens == TokenUsage.limit)
        #expect(usage.totalTokens == 2 * TokenUsage.limit)
        #expect(!usage.isPlausible)
    }

    @Test(arguments: hostileCounts)
    func anthropicSumsBeyondTheLimitAreClampedAndImplausible(_ count: String) throws {
        let json = #"{"usage": {"input_tokens": \#(count), "output_tokens": \#(count), "cache_read_input_tokens": \#(count), "cache_creation_input_tokens": \#(count), "cache_creation": {"ephemeral_1h_input_tokens": \#(count), "ephemeral_5m_input_tokens": \#(count)}}}"#
        let usage = try #require(TokenUsage(anthropicResponse: try JSONParser.parse(json)))
        #expect(!usage.isPlausible)
        #expect(usage.promptTokens <= TokenUsage.limit)
    }

    @Test func sumsBelowTheLimitThatReachItAreImplausible() throws {
        let half = TokenUsage.limit / 2
        let json = #"{"usage": {"input_tokens": \#(half), "output_tokens": 1, "cache_read_input_tokens": \#(half)}}"#
        let usage = try #require(TokenUsage(anthropicResponse: try JSONParser.parse(json)))
        #expect(usage.promptTokens == TokenUsage.limit)
        #expect(!usage.isPlausible)
    }

    @Test func realisticUsageIsPlausible() {
        #expect(TokenUsage(promptTokens: 2_000_000, completionTokens: 100_000, cachedPromptTokens: 1_000_000).isPlausible)
    }

    @Test func theMemberwiseInitializerClampsToo() {
        let usage = TokenUsage(promptTokens: .max, completionTokens: .min, cachedPromptTokens: .max, cacheWriteTokens: .max)
        #expect(usage.promptTokens == TokenUsage.limit)
        #expect(usage.completionTokens == 0)
        #expect(usage.totalTokens == TokenUsage.limit)
        #expect(!usage.isPlausible)
        let price = ModelPrice(provider: "anthropic", input: 3, output: 15)
        #expect(price.dollars(for: usage).isFinite)
        #expect(price.promptCacheEffect(of: usage).savedDollars.isFinite)
    }

    @Test func saturatingSumsStopAtTheBounds() {
        #expect(Int.max.addingSaturating(1) == .max)
        #expect(Int.min.addingSaturating(-1) == .min)
        #expect(40.addingSaturating(2) == 42)
        var total = Int.max - 1
        total.addSaturating(.max)
        #expect(total == .max)
        let effect = PromptCacheEffect(readTokens: .max, writeTokens: .max) + PromptCacheEffect(readTokens: 1, writeTokens: 1)
        #expect(effect.readTokens == .max)
    }
}
