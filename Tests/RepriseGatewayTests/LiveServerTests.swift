import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// The same behaviour over a real loopback connection, where HTTP framing (lengths, chunked streams,
/// hop-by-hop headers) is in play.
@Suite struct LiveServerTests {
    @Test func hitIsServedOverTheWire() async throws {
        try await GatewayHarness.run(.live, configure: { $0.host = "localhost" }) { gateway in
            let first = try await gateway.chat("Over the wire.")
            let second = try await gateway.chat("Over the wire.")
            #expect(first.status == .ok)
            #expect(second.repriseStatus == "hit")
            #expect(second.bytes == first.bytes)
            #expect(second.headers[.contentLength] == String(first.bytes.count))
            #expect(second.headers[.transferEncoding] == nil)
            #expect(gateway.upstream.callCount() == 1)
        }
    }

    @Test func streamArrivesWhole() async throws {
        try await GatewayHarness.run(.live, configure: { $0.host = "localhost" }) { gateway in
            let response = try await gateway.post("/v1/chat/completions", json: GatewayHarness.chatBody("Stream it.", stream: true))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            #expect(response.repriseStatus == "miss")
            #expect(response.text.hasSuffix("data: [DONE]\n\n"))
            let replayed = try await gateway.post("/v1/chat/completions", json: GatewayHarness.chatBody("Stream it.", stream: true))
            #expect(replayed.repriseStatus == "hit")
            #expect(SSE.content(of: replayed.text) == SSE.content(of: response.text))
        }
    }

    @Test func gatewayErrorsKeepTheirShapeOverTheWire() async throws {
        try await GatewayHarness.run(.live, configure: { $0.host = "localhost" }) { gateway in
            let response = try await gateway.post("/v1/chat/completions", json: "{")
            try response.expectOpenAIError(status: .badRequest, code: "invalid_json")
            #expect(gateway.upstream.callCount() == 0)
        }
    }
}
