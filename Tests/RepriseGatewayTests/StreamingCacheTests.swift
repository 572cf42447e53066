import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// Streamed answers are recorded as they pass, stored when complete, and replayed on a hit.
@Suite struct StreamingCacheTests {
    static let streamed = GatewayHarness.chatBody("Tell me a story.", stream: true)

    @Test func streamMissThenStreamHitGiveTheSameText() async throws {
        try await GatewayHarness.run { gateway in
            let first = try await gateway.post("/v1/chat/completions", json: Self.streamed)
            #expect(first.status == .ok)
            #expect(first.repriseStatus == "miss")
            #expect(first.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            #expect(SSE.endsWithDone(first.text))
            #expect(try await gateway.storedEntries() == 1)

            let second = try await gateway.post("/v1/chat/completions", json: Self.streamed)
            #expect(second.repriseStatus == "hit")
            #expect(second.cacheStatus?.hasPrefix("reprise; hit; ttl=") == true)
            #expect(second.headers[.contentType] == "text/event-stream")
            #expect(SSE.endsWithDone(second.text))
            #expect(!SSE.content(of: first.text).isEmpty)
            #expect(SSE.content(of: second.text) == SSE.content(of: first.text))
            #expect(gateway.upstream.callCount() == 1)
        }
    }

    @Test func toolCallsAreReplayedWhole() async throws {
        let body = #"{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Weather in Oslo?"}],"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}"#
        try await GatewayHarness.run { gateway in
            let first = try await gateway.post("/v1/chat/completions", json: body)
            let second = try await gateway.post("/v1/chat/completions", json: body)
            #expect(second.repriseStatus == "hit")
            let original = SSE.toolCall(of: first.text)
            let replayed = SSE.toolCall(of: second.text)
            #expect(original.name == "get_weather")
            #expect(replayed.id == original.id)
            #expect(replayed.name == original.name)
            #expect(replayed.arguments == original.arguments)
            let arguments = try? JSONParser.parse(replayed.arguments)
            #expect(arguments != nil)
        }
    }

    @Test func usageChunkIsReplayedOnlyWhenAskedFor() async throws {
        let withUsage = #"{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Count tokens."}]}"#
        let withoutUsage = #"{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Count tokens."}]}"#
        try await GatewayHarness.run { gateway in
            let first = try await gateway.post("/v1/chat/completions", json: withUsage)
            let original = try #require(SSE.usage(of: first.text))
            let hit = try await gateway.post("/v1/chat/completions", json: withUsage)
            #expect(hit.repriseStatus == "hit")
            #expect(SSE.usage(of: hit.text) == original)
            // stream_options is not part of the key: the same entry, replayed without the usage chunk.
            let bare = try await gateway.post("/v1/chat/completions", json: withoutUsage)
            #expect(bare.repriseStatus == "hit")
            #expect(SSE.usage(of: bare.text) == nil)
            #expect(SSE.endsWithDone(bare.text))
        }
    }

    static let streamedWithUsage =
        #"{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Tell me a story."}]}"#

    @Test func aNonStreamedRequestHitsWhatAStreamStored() async throws {
        try await GatewayHarness.run { gateway in
            let streamed = try await gateway.post("/v1/chat/completions", json: Self.streamedWithUsage)
            let usage = try #require(SSE.usage(of: streamed.text))
            let whole = try await gateway.chat("Tell me a story.")
            #expect(whole.repriseStatus == "hit")
            #expect(whole.headers[.contentType] == "application/json")
            let body = try whole.json()
            let first = SSE.payloads(of: streamed.text).first
            #expect(body["object"]?.stringValue == "chat.completion")
            #expect(body["id"] == first?["id"])
            #expect(body["model"] == first?["model"])
            #expect(body["choices"]?.arrayValue?.first?["message"]?["role"]?.stringValue == "assistant")
            #expect(body["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue == SSE.content(of: streamed.text))
            #expect(body["choices"]?.arrayValue?.first?["finish_reason"]?.stringValue == "stop")
            #expect(body["usage"] == usage)
            #expect(gateway.upstream.callCount() == 1)
        }
    }

    @Test func aStreamedRequestReplaysWhatANonStreamedOneStored() async throws {
        try await GatewayHarness.run { gateway in
            let whole = try await gateway.chat("Tell me a story.")
            let content = try whole.json()["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue
            let streamed = try await gateway.post("/v1/chat/completions", json: Self.streamedWithUsage)
            #expect(streamed.repriseStatus == "hit")
            #expect(streamed.headers[.contentType] == "text/event-stream")
            #expect(SSE.content(of: streamed.text) == content)
            #expect(SSE.usage(of: streamed.text) == (try whole.json()["usage"]))
            #expect(SSE.payloads(of: streamed.text).allSatisfy { $0["id"] == (try? whole.json())?["id"] })
            #expect(SSE.endsWithDone(streamed.text))
            #expect(gateway.upstream.callCount() == 1)
        }
    }

    @Test func aStreamThatBreaksOffIsNeverStored() async throws {
        let broken = GatewayHarness.chatBody("Break off.", model: "cut-stream", stream: true)
        try await GatewayHarness.run { gateway in
            let first = try? await gateway.post("/v1/chat/completions", json: broken)
            let ended = first.map { SSE.endsWithDone($0.text) }
            #expect(ended != true)
            let stored = try await gateway.storedEntries()
            #expect(stored == 0)
            _ = try? await gateway.post("/v1/chat/completions", json: broken)
            #expect(gateway.upstream.callCount() == 2)
        }
    }

    @Test func upstreamErrorsOnStreamedRequestsPassThroughUnstored() async throws {
        try await GatewayHarness.run { gateway in
            let failed = try await gateway.post("/v1/chat/completions", json: GatewayHarness.chatBody("x", model: "error-429", stream: true))
            #expect(failed.status.code == 429)
            #expect(try failed.json()["error"] != nil)
            #expect(try await gateway.storedEntries() == 0)
        }
    }

    @Test func replayPacingSpacesTheEvents() async throws {
        try await GatewayHarness.run(configure: { $0.replayPacing = .milliseconds(5) }) { gateway in
            _ = try await gateway.chat("Tell me a story.")
            let started = ContinuousClock.now
            let streamed = try await gateway.post("/v1/chat/completions", json: Self.streamed)
            let events = SSE.payloads(of: streamed.text).count + 1
            #expect(streamed.repriseStatus == "hit")
            #expect(ContinuousClock.now - started >= .milliseconds(5) * (events - 1))
        }
    }
}
