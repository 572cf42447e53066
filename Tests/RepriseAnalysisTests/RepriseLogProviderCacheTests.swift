import Foundation
import Reprise
import RepriseAnalysis
import Testing

/// The analyzer reads the provider prompt-cache tokens Reprise's request log records.
@Suite struct RepriseLogProviderCacheTests {
    @Test func cacheWriteAndReadTokensAreRead() throws {
        let files = try TemporaryLogFiles()
        let lines = [
            #"{"ts":"2026-11-27T03:00:00.000Z","route":"/v1/messages","model":"claude-sonnet-4-5","cache_status":"miss","http_status":200,"prompt_tokens":2050,"completion_tokens":40,"cached_tokens":0,"cache_write_tokens":2000,"cache_write_1h_tokens":500,"provider_cache_write_usd":0.003,"latency_ms":12}"#,
            #"{"ts":"2026-11-27T03:00:01.000Z","route":"/v1/messages","model":"claude-sonnet-4-5","cache_status":"miss","http_status":200,"prompt_tokens":2050,"completion_tokens":40,"cached_tokens":2000,"latency_ms":9}"#,
            // A line written before the fields existed.
            #"{"ts":"2026-11-27T03:00:02.000Z","route":"/v1/chat/completions","model":"gpt-4o","cache_status":"miss","http_status":200,"prompt_tokens":10,"completion_tokens":2,"latency_ms":5}"#,
        ]
        let path = try files.write("requests.jsonl", lines.joined(separator: "\n") + "\n")
        let (records, _) = try UsageLogReaderTests.read([path])
        #expect(records.map(\.usage) == [
            TokenUsage(promptTokens: 2050, completionTokens: 40, cacheWriteTokens: 2000, cacheWriteOneHourTokens: 500),
            TokenUsage(promptTokens: 2050, completionTokens: 40, cachedPromptTokens: 2000),
            TokenUsage(promptTokens: 10, completionTokens: 2),
        ])
    }
}
