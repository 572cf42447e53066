import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseTesting
import Testing

/// A repeated request on any cached route is answered from the cache, byte for byte.
@Suite struct CacheHitTests {
    /// One request per cached route.
    struct RouteRequest: Sendable, CustomTestStringConvertible {
        var path: String
        var json: String
        var testDescription: String { path }
    }

    static let routes = [
        RouteRequest(path: "/v1/chat/completions", json: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Name three rivers."}]}"#),
        RouteRequest(path: "/v1/completions", json: #"{"model":"gpt-3.5-turbo-instruct","prompt":"Name three rivers."}"#),
        RouteRequest(path: "/v1/embeddings", json: #"{"model":"text-embedding-3-small","input":"Name three rivers."}"#),
        RouteRequest(path: "/v1/responses", json: #"{"model":"gpt-4o-mini","input":"Name three rivers."}"#),
    ]

    @Test(arguments: routes)
    func repeatedRequestIsServedFromTheCache(_ request: RouteRequest) async throws {
        try await GatewayHarness.run { gateway in
            let first = try await gateway.post(request.path, json: request.json)
            #expect(first.status == .ok)
            #expect(first.repriseStatus == "miss")
            #expect(first.cacheStatus == "reprise; fwd=uri-miss; stored")

            let second = try await gateway.post(request.path, json: request.json)
            #expect(second.status == .ok)
            #expect(second.bytes == first.bytes)
            #expect(second.answerID == first.answerID)
            #expect(second.repriseStatus == "hit")
            #expect(second.cacheStatus?.hasPrefix("reprise; hit; ttl=") == true)
            #expect(second.headers[.age] == "0")
            #expect(second.headers[.contentType] == "application/json")
            let key = try #require(first.cacheKey)
            #expect(key.count == 64)
            #expect(second.cacheKey == key)
            #expect(gateway.upstream.callCount() == 1)
            #expect(gateway.upstream.callCount(path: request.path) == 1)
        }
    }

    @Test func hitReportsTheEntrysAgeAndRemainingLifetime() async throws {
        try await GatewayHarness.run { gateway in
            try await gateway.chat("How tall is Mont Blanc?")
            gateway.clock.advance(by: .seconds(42))
            let hit = try await gateway.chat("How tall is Mont Blanc?")
            #expect(hit.repriseStatus == "hit")
            #expect(hit.headers[.age] == "42")
            #expect(hit.cacheStatus == "reprise; hit; ttl=258")
        }
    }

    @Test func differentPromptsAreDifferentEntries() async throws {
        try await GatewayHarness.run { gateway in
            let first = try await gateway.chat("What is a fjord?")
            let second = try await gateway.chat("What is a glacier?")
            #expect(second.repriseStatus == "miss")
            #expect(second.cacheKey != first.cacheKey)
            #expect(second.answerID != first.answerID)
            #expect(gateway.upstream.callCount() == 2)
            #expect(try await gateway.storedEntries() == 2)
        }
    }
}
