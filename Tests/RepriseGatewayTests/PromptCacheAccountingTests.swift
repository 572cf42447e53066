import Foundation
import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// The providers' own prompt-cache tokens are recorded on every answer and priced with the shared
/// multipliers in the request log, metrics and `/admin/stats`, apart from what the response cache saved.
@Suite struct PromptCacheAccountingTests {
    static let admin = HTTPFields.bearer("admin")
    /// About 2,000 tokens by the fake's count: enough to be cached.
    static let longSystem = String(repeating: "Reference manual paragraph about fjords and glaciers. ", count: 150)

    static func body(_ question: String, ttl: String? = nil) -> String {
        var marker: [String: JSONValue] = ["type": "ephemeral"]
        if let ttl { marker["ttl"] = .string(ttl) }
        return Anthropic.body(question, extra: ["system": [["type": "text", "text": .string(longSystem), "cache_control": .object(marker)]]])
    }

    static func stats(_ gateway: GatewayHarness) async throws -> JSONValue {
        try await gateway.get("/admin/stats", headers: admin).json()
    }

    static let price = PriceTable.builtIn.price(for: "claude-sonnet-4-5")!

    @Test func writesAndReadsArePricedWithTheMultipliers() async throws {
        try await GatewayHarness.run(configure: { $0.adminToken = "admin" }) { gateway in
            let first = try await gateway.post("/v1/messages", json: Self.body("First question?"), headers: Anthropic.version)
            let second = try await gateway.post("/v1/messages", json: Self.body("Second question?"), headers: Anthropic.version)
            let written = try #require(try first.json()["usage"]?["cache_creation_input_tokens"]?.intValue)
            let read = try #require(try second.json()["usage"]?["cache_read_input_tokens"]?.intValue)
            #expect(written > 1024)
            #expect(read == written)
            let cache = try #require(try await Self.stats(gateway)["provider_cache"])
            #expect(cache["write_tokens"]?.intValue == written)
            #expect(cache["read_tokens"]?.intValue == read)
            // Anthropic: reads at 0.1× input save 0.9× input; 5-minute writes cost 0.25× input extra.
            let saved = Double(read) * Self.price.input * (1 - PromptCacheMultipliers.anthropicRead) / 1_000_000
            let surcharge = Double(written) * Self.price.input * (PromptCacheMultipliers.anthropicFiveMinuteWrite - 1) / 1_000_000
            #expect(abs((cache["saved_dollars"]?.doubleValue ?? 0) - saved) < 1e-9)
            #expect(abs((cache["write_dollars"]?.doubleValue ?? 0) - surcharge) < 1e-9)
            #expect(abs((cache["net_dollars"]?.doubleValue ?? 0) - (saved - surcharge)) < 1e-9)
            // Kept apart from the response cache: two misses saved nothing there.
            #expect(try await Self.stats(gateway)["saved"]?["dollars"]?.doubleValue == 0)
        }
    }

    @Test func oneHourWritesCostTwiceTheInputPrice() async throws {
        try await GatewayHarness.run(configure: { $0.adminToken = "admin" }) { gateway in
            let answer = try await gateway.post("/v1/messages", json: Self.body("Long-lived?", ttl: "1h"), headers: Anthropic.version)
            let usage = try #require(TokenUsage(anthropicResponse: try answer.json()))
            #expect(usage.cacheWriteOneHourTokens == usage.cacheWriteTokens)
            let cache = try #require(try await Self.stats(gateway)["provider_cache"])
            let surcharge = Double(usage.cacheWriteTokens) * Self.price.input * (PromptCacheMultipliers.anthropicOneHourWrite - 1) / 1_000_000
            #expect(abs((cache["write_dollars"]?.doubleValue ?? 0) - surcharge) < 1e-9)
        }
    }

    @Test func aResponseCacheHitReportsTheFullCostItAvoided() async throws {
        try await GatewayHarness.run(configure: { $0.adminToken = "admin" }) { gateway in
            let miss = try await gateway.post("/v1/messages", json: Self.body("Same question?"), headers: Anthropic.version)
            let hit = try await gateway.post("/v1/messages", json: Self.body("Same question?"), headers: Anthropic.version)
            #expect(hit.repriseStatus == "hit")
            let usage = try #require(TokenUsage(anthropicResponse: try miss.json()))
            let stats = try await Self.stats(gateway)
            // What the upstream call cost, its cache write included; the hit itself touched no provider cache.
            #expect(abs((stats["saved"]?["dollars"]?.doubleValue ?? 0) - Self.price.dollars(for: usage).roundedDollars) < 1e-9)
            #expect(stats["saved"]?["prompt_tokens"]?.intValue == usage.promptTokens)
            #expect(stats["provider_cache"]?["write_tokens"]?.intValue == usage.cacheWriteTokens)
            #expect(stats["provider_cache"]?["read_tokens"]?.intValue == 0)
        }
    }

    @Test func theRequestLogAndMetricsCarryTheProviderCacheFigures() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/requests.jsonl"
            try await GatewayHarness.run(configure: { $0.requestLogPath = path }) { gateway in
                try await gateway.post("/v1/messages", json: Self.body("Log one?"), headers: Anthropic.version)
                try await gateway.post("/v1/messages", json: Self.body("Log two?"), headers: Anthropic.version)
                let metrics = try await gateway.get("/metrics").text
                #expect(metrics.contains(#"reprise_provider_cache_write_tokens_total{route="/v1/messages",breakpoints="client"}"#))
                #expect(metrics.contains(#"reprise_provider_cache_read_tokens_total{route="/v1/messages",breakpoints="client"}"#))
                var attempts = 0
                while try RequestLogTests.lines(at: path).count < 2, attempts < 200 {
                    attempts += 1
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            let lines = try RequestLogTests.lines(at: path).map { try JSONParser.parse($0) }
            try #require(lines.count == 2)
            #expect(lines[0]["cache_write_tokens"]?.intValue ?? 0 > 1024)
            #expect(lines[0]["provider_cache_write_usd"]?.doubleValue ?? 0 > 0)
            #expect(lines[0]["cached_tokens"]?.intValue == 0)
            #expect(lines[1]["cached_tokens"]?.intValue == lines[0]["cache_write_tokens"]?.intValue)
            #expect(lines[1]["provider_cache_saved_usd"]?.doubleValue ?? 0 > 0)
            // Absent, not zero, when there is nothing to say: old readers see the old schema.
            #expect(lines[1]["cache_write_tokens"] == nil)
            #expect(lines[1]["auto_breakpoints"] == nil)
            let records = try lines.map { try JSONDecoder().decode(RequestLogRecord.self, from: Data($0.canonicalBytes)) }
            #expect(records[0].cacheWriteTokens == lines[0]["cache_write_tokens"]?.intValue)
        }
    }
}

/// OpenAI's automatic prompt cache: `prompt_tokens_details.cached_tokens` priced at the model's cached-input price.
@Suite struct OpenAIPromptCacheAccountingTests {
    @Test func cachedTokensArePricedAtTheCachedInputPrice() async throws {
        let system = String(repeating: "Policy handbook sentence repeated for every request. ", count: 100)
        @Sendable func body(_ question: String) -> String {
            JSONValue.object([
                "model": "gpt-4o-mini",
                "messages": [["role": "system", "content": .string(system)], ["role": "user", "content": .string(question)]],
            ]).canonicalText
        }
        try await GatewayHarness.run(configure: { $0.adminToken = "admin" }) { gateway in
            try await gateway.post("/v1/chat/completions", json: body("First?"))
            let second = try await gateway.post("/v1/chat/completions", json: body("Second?"))
            let cached = try #require(try second.json()["usage"]?["prompt_tokens_details"]?["cached_tokens"]?.intValue)
            #expect(cached >= 1024)
            let stats = try await gateway.get("/admin/stats", headers: .bearer("admin")).json()
            let price = try #require(PriceTable.builtIn.price(for: "gpt-4o-mini"))
            let cachedInput = try #require(price.cachedInput)
            #expect(stats["provider_cache"]?["read_tokens"]?.intValue == cached)
            #expect(stats["provider_cache"]?["write_tokens"]?.intValue == 0)
            #expect(abs((stats["provider_cache"]?["saved_dollars"]?.doubleValue ?? 0) - Double(cached) * (price.input - cachedInput) / 1_000_000) < 1e-9)
            #expect(stats["provider_cache"]?["write_dollars"]?.doubleValue == 0)
        }
    }
}
