import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// Which request headers reach the upstream, and which credential it sees.
@Suite struct HeaderForwardingTests {
    @Test func controlHeadersStayAtTheGatewayAndTheClientsCredentialIsForwarded() async throws {
        try await GatewayHarness.run { gateway in
            let headers: HTTPFields = [
                .authorization: "Bearer sk-client-credential", .repriseTTL: "60", .repriseNamespace: "tenant-7",
                HTTPField.Name("X-Reprise-Semantic")!: "off", HTTPField.Name("OpenAI-Organization")!: "org-123",
                .cacheControl: "no-store", .acceptEncoding: "gzip, br",
            ]
            let response = try await gateway.chat("Forward me.", headers: headers)
            #expect(response.status == .ok)

            let forwarded = gateway.upstream.lastRequestHeaders
            #expect(forwarded.keys.filter { $0.hasPrefix("x-reprise-") }.isEmpty)
            // Cache-Control is the gateway's to obey; a cached body must not arrive compressed.
            #expect(forwarded["cache-control"] == nil)
            #expect(forwarded["accept-encoding"] == nil)
            #expect(forwarded["authorization"] == "Bearer sk-client-credential")
            #expect(forwarded["openai-organization"] == "org-123")
            #expect(forwarded["content-type"] == "application/json")
        }
    }

    @Test func requestBodyReachesUpstreamUnchanged() async throws {
        try await GatewayHarness.run { gateway in
            let json = #"{"model":"gpt-4o-mini","user":"u-1","messages":[{"role":"user","content":"Echo?"}],"temperature":0.2}"#
            try await gateway.post("/v1/chat/completions", json: json)
            #expect(gateway.upstream.lastRequestBody == (try JSONParser.parse(json)))
        }
    }

    static let keyHolding: @Sendable (inout GatewayConfiguration) -> Void = {
        $0.upstreamAPIKey = "sk-upstream-key"
        $0.clientKeys = ["client-1"]
    }

    @Test func gatewaySendsItsOwnUpstreamKeyForAnAcceptedClientKey() async throws {
        try await GatewayHarness.run(configure: Self.keyHolding) { gateway in
            let response = try await gateway.chat("Who am I?", headers: .bearer("client-1"))
            #expect(response.status == .ok)
            #expect(gateway.upstream.lastRequestHeaders["authorization"] == "Bearer sk-upstream-key")
            #expect(!gateway.upstream.lastRequestHeaders.values.contains { $0.contains("client-1") })
        }
    }

    /// A client key sent the Azure (`api-key`) or Anthropic (`x-api-key`) way is accepted, and replaced
    /// by the gateway's upstream key like a bearer token: the upstream never sees the client's key.
    @Test(arguments: ["api-key", "x-api-key"])
    func clientKeyInAnAPIKeyHeaderIsNotForwarded(_ header: String) async throws {
        try await GatewayHarness.run(configure: Self.keyHolding) { gateway in
            let response = try await gateway.chat("Who am I?", headers: [HTTPField.Name(header)!: "client-1"])
            #expect(response.status == .ok)
            let forwarded = gateway.upstream.lastRequestHeaders
            #expect(forwarded["authorization"] == "Bearer sk-upstream-key")
            #expect(forwarded[header] == nil)
            #expect(!forwarded.values.contains { $0.contains("client-1") })
        }
    }

    @Test(arguments: [HTTPFields.bearer("client-2"), HTTPFields.bearer("client-1x"), HTTPFields()])
    func unknownClientKeyIsRefused(_ headers: HTTPFields) async throws {
        try await GatewayHarness.run(configure: Self.keyHolding) { gateway in
            let response = try await gateway.chat("Who am I?", headers: headers)
            try response.expectOpenAIError(status: .unauthorized, code: "invalid_api_key")
            #expect(try response.json()["error"]?["type"]?.stringValue == "authentication_error")
            #expect(!response.text.contains("client-2"))
            #expect(gateway.upstream.callCount() == 0)

            let models = try await gateway.get("/v1/models", headers: headers)
            try models.expectOpenAIError(status: .unauthorized, code: "invalid_api_key")
            #expect(gateway.upstream.callCount() == 0)
        }
    }
}
