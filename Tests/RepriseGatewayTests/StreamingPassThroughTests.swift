import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseTesting
import Testing

/// Streamed requests are passed through as they arrive and not cached.
@Suite struct StreamingPassThroughTests {
    static let streamed = GatewayHarness.chatBody("Tell me a story.", stream: true)

    @Test func streamIsPassedThroughMarkedBypassAndNotStored() async throws {
        try await GatewayHarness.run { gateway in
            let first = try await gateway.post("/v1/chat/completions", json: Self.streamed)
            #expect(first.status == .ok)
            #expect(first.text.contains("data: [DONE]"))
            #expect(first.text.contains("chat.completion.chunk"))
            #expect(first.repriseStatus == "bypass")
            #expect(first.cacheStatus == "reprise; fwd=bypass; detail=stream")
            #expect(gateway.upstream.lastRequestBody?["stream"]?.boolValue == true)
            #expect(try await gateway.storedEntries() == 0)

            let second = try await gateway.post("/v1/chat/completions", json: Self.streamed)
            #expect(second.repriseStatus == "bypass")
            #expect(second.text.contains("data: [DONE]"))
            #expect(gateway.upstream.callCount() == 2)

            let unstreamed = try await gateway.chat("Tell me a story.")
            #expect(unstreamed.repriseStatus == "miss")
            #expect(gateway.upstream.callCount() == 3)
        }
    }
}
