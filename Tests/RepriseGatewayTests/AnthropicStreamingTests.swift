import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// Anthropic's Messages streams are recorded live, stored after `message_stop`, and replayed in the same
/// event format; streamed and whole requests share one entry; coalescing and stale-if-error hold.
@Suite struct AnthropicStreamingTests {
    static let tools: [String: JSONValue] = [
        "tools": [["name": "get_weather", "description": "Weather", "input_schema": ["type": "object", "properties": ["query": ["type": "string"]]]]],
    ]

    @Test func streamMissThenStreamHitGiveTheSameText() async throws {
        try await GatewayHarness.run { gateway in
            let body = Anthropic.body("Tell me about fjords.", stream: true)
            let first = try await gateway.post("/v1/messages", json: body, headers: Anthropic.version)
            #expect(first.repriseStatus == "miss")
            #expect(first.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            #expect(Anthropic.eventTypes(first.text).last == "message_stop")
            #expect(try await gateway.storedEntries() == 1)

            let second = try await gateway.post("/v1/messages", json: body, headers: Anthropic.version)
            #expect(second.repriseStatus == "hit")
            #expect(second.headers[.contentType] == "text/event-stream")
            let types = Anthropic.eventTypes(second.text)
            #expect(types.first == "message_start")
            #expect(types.contains("ping"))
            #expect(Array(types.suffix(2)) == ["message_delta", "message_stop"])
            // Every event carries its name on an `event:` line equal to its type, as Anthropic sends them.
            #expect(SSE.events(of: second.text).allSatisfy { $0.name == $0.payload["type"]?.stringValue })
            #expect(!Anthropic.streamedText(first.text).isEmpty)
            #expect(Anthropic.streamedText(second.text) == Anthropic.streamedText(first.text))
            let start = try #require(SSE.events(of: second.text).first?.payload["message"])
            #expect(start["id"] == SSE.events(of: first.text).first?.payload["message"]?["id"])
            #expect(gateway.upstream.callCount() == 1)
        }
    }

    @Test func toolUseInputIsReplayedAsJSONDeltas() async throws {
        try await GatewayHarness.run { gateway in
            let body = Anthropic.body("Weather in Bergen?", stream: true, extra: Self.tools)
            let first = try await gateway.post("/v1/messages", json: body, headers: Anthropic.version)
            let second = try await gateway.post("/v1/messages", json: body, headers: Anthropic.version)
            #expect(second.repriseStatus == "hit")
            let original = try JSONParser.parse(Anthropic.deltas(first.text, type: "input_json_delta", field: "partial_json"))
            let replayed = try JSONParser.parse(Anthropic.deltas(second.text, type: "input_json_delta", field: "partial_json"))
            #expect(replayed == original)
            #expect(original["query"]?.stringValue == "Weather in Bergen?")
            let opened = SSE.events(of: second.text).first { $0.payload["type"]?.stringValue == "content_block_start" }
            #expect(opened?.payload["content_block"]?["name"]?.stringValue == "get_weather")
            // The stored entry is the assembled message: a whole request gets the tool call with its input.
            let whole = try await gateway.post("/v1/messages", json: Anthropic.body("Weather in Bergen?", extra: Self.tools), headers: Anthropic.version)
            #expect(whole.repriseStatus == "hit")
            let block = try #require(try whole.json()["content"]?.arrayValue?.first)
            #expect(block["input"] == original)
            #expect(try whole.json()["stop_reason"]?.stringValue == "tool_use")
        }
    }

    @Test func thinkingAndSignatureAreReplayed() async throws {
        let thinking: [String: JSONValue] = ["thinking": ["type": "enabled", "budget_tokens": 1024]]
        try await GatewayHarness.run { gateway in
            let body = Anthropic.body("Think first.", stream: true, extra: thinking)
            let first = try await gateway.post("/v1/messages", json: body, headers: Anthropic.version)
            let second = try await gateway.post("/v1/messages", json: body, headers: Anthropic.version)
            #expect(second.repriseStatus == "hit")
            for field in [("thinking_delta", "thinking"), ("signature_delta", "signature")] {
                let original = Anthropic.deltas(first.text, type: field.0, field: field.1)
                #expect(!original.isEmpty)
                #expect(Anthropic.deltas(second.text, type: field.0, field: field.1) == original)
            }
            #expect(Anthropic.streamedText(second.text) == Anthropic.streamedText(first.text))
        }
    }

    @Test func streamedAndWholeRequestsShareOneEntry() async throws {
        try await GatewayHarness.run { gateway in
            let whole = try await gateway.post("/v1/messages", json: Anthropic.body("Shared entry?"), headers: Anthropic.version)
            let streamed = try await gateway.post("/v1/messages", json: Anthropic.body("Shared entry?", stream: true), headers: Anthropic.version)
            #expect(streamed.repriseStatus == "hit")
            #expect(Anthropic.streamedText(streamed.text) == Anthropic.text(ofMessage: try whole.json()))
            // And the other way round: a streamed miss serves a whole request.
            try await gateway.post("/v1/messages", json: Anthropic.body("Other way?", stream: true), headers: Anthropic.version)
            let after = try await gateway.post("/v1/messages", json: Anthropic.body("Other way?"), headers: Anthropic.version)
            #expect(after.repriseStatus == "hit")
            let message = try after.json()
            #expect(message["type"]?.stringValue == "message")
            #expect(message["stop_reason"]?.stringValue == "end_turn")
            #expect(message["usage"]?["output_tokens"]?.intValue ?? 0 > 1)
            #expect(gateway.upstream.callCount() == 2)
        }
    }

    @Test func aStreamTheUpstreamBreaksOffIsNotStored() async throws {
        let upstream = FakeUpstream(behavior: FakeUpstreamBehavior(chunkInterval: .milliseconds(5)))
        try await GatewayHarness.run(.live, upstream: upstream, configure: { $0.host = "127.0.0.1" }) { gateway in
            let port = try #require(gateway.client.port)
            let body = Anthropic.body("Break off.", model: "cut-stream", stream: true)
            let stream = try await LiveStream.read(port: port, path: "/v1/messages", json: body)
            #expect(stream.status == 200)
            #expect(Anthropic.eventTypes(stream.text).contains("message_start"))
            #expect(!Anthropic.eventTypes(stream.text).contains("message_stop"))
            #expect(stream.failure != nil)
            #expect(try await gateway.storedEntries() == 0)
        }
    }

    @Test func concurrentIdenticalStreamsMakeOneUpstreamCall() async throws {
        let upstream = FakeUpstream(behavior: FakeUpstreamBehavior(latency: .milliseconds(300)))
        try await GatewayHarness.run(upstream: upstream) { gateway in
            let body = Anthropic.body("Burst of streams.", stream: true)
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<20 { group.addTask { try await gateway.post("/v1/messages", json: body, headers: Anthropic.version) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(gateway.upstream.callCount() == 1)
            #expect(responses.filter { $0.repriseStatus == "coalesced" }.count == 19)
            let texts = Set(responses.map { Anthropic.streamedText($0.text) })
            #expect(texts.count == 1)
            #expect(texts.first?.isEmpty == false)
            #expect(responses.allSatisfy { Anthropic.eventTypes($0.text).last == "message_stop" })
        }
    }

    @Test func anExpiredMessageIsServedWhenTheUpstreamFails() async throws {
        try await GatewayHarness.run(configure: { $0.staleIfError = .seconds(60); $0.policy.defaultTimeToLive = .seconds(10) }) { gateway in
            let fresh = try await gateway.post("/v1/messages", json: Anthropic.body("Opening hours?"), headers: Anthropic.version)
            gateway.clock.advance(by: .seconds(30))
            gateway.upstream.behavior.failuresRemaining = 1
            gateway.upstream.behavior.failureStatus = 529
            let stale = try await gateway.post("/v1/messages", json: Anthropic.body("Opening hours?", stream: true), headers: Anthropic.version)
            #expect(stale.repriseStatus == "stale")
            #expect(Anthropic.streamedText(stale.text) == Anthropic.text(ofMessage: try fresh.json()))
        }
    }
}
