import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// Paths the gateway forwards without caching, and the ones it answers itself.
@Suite struct PassThroughTests {
    @Test func modelListIsAnsweredFromUpstreamUnchanged() async throws {
        try await GatewayHarness.run { gateway in
            let response = try await gateway.get("/v1/models", headers: .bearer("sk-any"))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            #expect(response.headers[HTTPField.Name("x-request-id")!] != nil)
            #expect(response.repriseStatus == nil)
            let models = try response.json()
            #expect(models["object"]?.stringValue == "list")
            #expect(models["data"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["gpt-4o-mini", "gpt-4o", "text-embedding-3-small"])
            #expect(gateway.upstream.callCount(path: "/v1/models") == 1)
            #expect(gateway.upstream.lastRequestHeaders["authorization"] == "Bearer sk-any")

            try await gateway.get("/v1/models")
            #expect(gateway.upstream.callCount(path: "/v1/models") == 2)
        }
    }

    /// An upstream that answers before reading a large body: the gateway once drained the body on the server
    /// side while its HTTP client was still sending it upstream (two readers of one body), and crashed.
    ///
    /// Run twice: a body the gateway reads whole before forwarding, and one over the body limit, which it
    /// streams and must not drain before the HTTP client is done with it.
    @Test(arguments: [8 * 1024 * 1024, 1024 * 1024])
    func anUpstreamAnsweringBeforeReadingTheBodyIsPassedOn(bodyLimit: Int) async throws {
        let large = String(repeating: "x", count: 4 * 1024 * 1024)
        try await GatewayHarness.run(.live, configure: { $0.maximumBodyBytes = bodyLimit }) { gateway in
            for _ in 0..<8 {
                let response = try await gateway.post("/v1/fake/early-answer", json: #"{"blob":"\#(large)"}"#)
                #expect(response.status == .ok)
                #expect(try response.json()["early"]?.boolValue == true)
            }
            #expect(gateway.upstream.earlyAnswerCount == 8)
            // Still serving.
            #expect(try await gateway.get("/v1/models").status == .ok)
        }
    }

    @Test func unknownPathUnderV1IsForwardedAndItsErrorPassesThrough() async throws {
        try await GatewayHarness.run { gateway in
            let response = try await gateway.get("/v1/fine_tuning/jobs")
            #expect(response.status == .notFound)
            #expect(try response.json()["error"]?["code"]?.stringValue == "fake_404")
            #expect(gateway.upstream.callCount(path: "/v1/fine_tuning/jobs") == 1)
        }
    }

    @Test(arguments: ["/v2/chat/completions", "/", "/favicon.ico"])
    func pathOutsideV1IsA404InOpenAIShape(_ path: String) async throws {
        try await GatewayHarness.run { gateway in
            let response = try await gateway.get(path)
            try response.expectOpenAIError(status: .notFound, code: "not_found")
            #expect(gateway.upstream.callCount() == 0)
        }
    }

    @Test func healthAnswersOK() async throws {
        try await GatewayHarness.run { gateway in
            let response = try await gateway.get("/health")
            #expect(response.status == .ok)
            #expect(response.text == #"{"status":"ok"}"#)
            #expect(response.headers[.contentType] == "application/json")
            #expect(gateway.upstream.callCount() == 0)
        }
    }
}
