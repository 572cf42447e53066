import Reprise
import RepriseTesting
import Testing

/// The example in docs/library.md, compiled and run: a Swift program caching OpenAI answers without the
/// gateway. Keep the two in step.
@Suite struct LibraryExampleTests {
    /// Stands in for a real API call in the example.
    struct FakeAPI {
        var calls = 0
        mutating func send(_ body: [UInt8]) -> [UInt8] {
            calls += 1
            return Array(#"{"id":"chatcmpl-1","choices":[{"message":{"role":"assistant","content":"Paris."}}],"usage":{"prompt_tokens":12,"completion_tokens":2}}"#.utf8)
        }
    }

    @Test func exampleFromTheDocsServesTheSecondCallFromCache() async throws {
        var api = FakeAPI()
        // --- docs/library.md example begins ---
        let cache = ResponseCache(store: MemoryCacheStore(), timeToLive: .seconds(600))

        func complete(_ request: [UInt8]) async throws -> [UInt8] {
            if let cached = try await cache.answer(for: request) {
                return cached.body
            }
            let answer = api.send(request)
            try await cache.store(answer, for: request)
            return answer
        }

        let request = Array(#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Capital of France?"}]}"#.utf8)
        let first = try await complete(request)
        let second = try await complete(request)
        // --- docs/library.md example ends ---
        #expect(first == second)
        #expect(api.calls == 1)
        let entry = try #require(try await cache.answer(for: request))
        #expect(entry.usage.promptTokens == 12)
        #expect(entry.model == "gpt-4o-mini")
    }

    @Test func keysMatchTheGatewaysSpelledDifferently() throws {
        let cache = ResponseCache(store: MemoryCacheStore(), namespace: "tenant-a")
        let compact = Array(#"{"model":"gpt-4o-mini","temperature":1,"messages":[]}"#.utf8)
        let spaced = Array(#"{ "messages": [ ], "temperature": 1.0, "model": "gpt-4o-mini", "stream": true }"#.utf8)
        #expect(try cache.key(for: compact) == cache.key(for: spaced))
        let builder = CacheKeyBuilder()
        #expect(try cache.key(for: compact) == builder.key(namespace: "tenant-a", route: "/v1/chat/completions", body: JSONParser.parse(compact)))
    }

    @Test func answersExpireWithTheInjectedClock() async throws {
        let clock = ManualClock()
        let cache = ResponseCache(store: MemoryCacheStore(clock: clock), timeToLive: .seconds(60), clock: clock)
        let request = Array(#"{"model":"m","prompt":"x"}"#.utf8)
        try await cache.store(Array(#"{"choices":[]}"#.utf8), for: request, route: "/v1/completions")
        #expect(try await cache.answer(for: request, route: "/v1/completions") != nil)
        clock.advance(by: .seconds(60))
        #expect(try await cache.answer(for: request, route: "/v1/completions") == nil)
    }
}
