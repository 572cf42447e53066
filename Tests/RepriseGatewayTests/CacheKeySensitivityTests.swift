import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseTesting
import Testing

/// What in a request body changes the cache key, seen through the gateway: a change that can change the
/// answer is a miss; a change that cannot is a hit.
@Suite struct CacheKeySensitivityTests {
    static let original = #"{"model":"gpt-4o-mini","temperature":1,"messages":[{"role":"user","content":"Summarise the plot of Hamlet."}]}"#

    /// A variant of ``original`` and whether it should share its entry.
    struct Variant: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        var testDescription: String { name }
    }

    static let misses = [
        Variant(name: "temperature changed", json: #"{"model":"gpt-4o-mini","temperature":0.5,"messages":[{"role":"user","content":"Summarise the plot of Hamlet."}]}"#),
        Variant(name: "temperature removed", json: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Summarise the plot of Hamlet."}]}"#),
        Variant(name: "message changed", json: #"{"model":"gpt-4o-mini","temperature":1,"messages":[{"role":"user","content":"Summarise the plot of Macbeth."}]}"#),
        Variant(name: "system message added", json: #"{"model":"gpt-4o-mini","temperature":1,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Summarise the plot of Hamlet."}]}"#),
        Variant(name: "model changed", json: #"{"model":"gpt-4o","temperature":1,"messages":[{"role":"user","content":"Summarise the plot of Hamlet."}]}"#),
    ]

    static let hits = [
        Variant(name: "keys reordered", json: #"{"messages":[{"content":"Summarise the plot of Hamlet.","role":"user"}],"temperature":1,"model":"gpt-4o-mini"}"#),
        Variant(name: "white space added", json: "{\n  \"model\" : \"gpt-4o-mini\",\n  \"temperature\" : 1,\n  \"messages\" : [ { \"role\" : \"user\", \"content\" : \"Summarise the plot of Hamlet.\" } ]\n}\n"),
        Variant(name: "number written as 1.0", json: #"{"model":"gpt-4o-mini","temperature":1.0,"messages":[{"role":"user","content":"Summarise the plot of Hamlet."}]}"#),
        Variant(name: "stream_options added", json: #"{"model":"gpt-4o-mini","temperature":1,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Summarise the plot of Hamlet."}]}"#),
        Variant(name: "user added", json: #"{"model":"gpt-4o-mini","temperature":1,"user":"end-user-42","messages":[{"role":"user","content":"Summarise the plot of Hamlet."}]}"#),
        Variant(name: "metadata added", json: #"{"model":"gpt-4o-mini","temperature":1,"metadata":{"trace":"abc"},"messages":[{"role":"user","content":"Summarise the plot of Hamlet."}]}"#),
    ]

    @Test(arguments: misses)
    func answerChangingEditIsAMiss(_ variant: Variant) async throws {
        try await GatewayHarness.run { gateway in
            let original = try await gateway.post("/v1/chat/completions", json: Self.original)
            let edited = try await gateway.post("/v1/chat/completions", json: variant.json)
            #expect(edited.status == .ok)
            #expect(edited.repriseStatus == "miss")
            #expect(edited.cacheKey != original.cacheKey)
            #expect(edited.answerID != original.answerID)
            #expect(gateway.upstream.callCount() == 2)
        }
    }

    @Test(arguments: hits)
    func answerPreservingEditIsAHit(_ variant: Variant) async throws {
        try await GatewayHarness.run { gateway in
            let original = try await gateway.post("/v1/chat/completions", json: Self.original)
            let edited = try await gateway.post("/v1/chat/completions", json: variant.json)
            #expect(edited.status == .ok)
            #expect(edited.repriseStatus == "hit")
            #expect(edited.cacheKey == original.cacheKey)
            #expect(edited.bytes == original.bytes)
            #expect(gateway.upstream.callCount() == 1)
        }
    }
}
