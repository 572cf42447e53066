import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// Requests the gateway refuses itself: answered in OpenAI's error shape and never forwarded.
@Suite struct BadRequestTests {
    /// The largest body the gateway accepts in these tests.
    static let bodyLimit = 256

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        var headers: HTTPFields = [:]
        var status: HTTPResponse.Status
        var code: String
        var parameter: String?
        var testDescription: String { name }
    }

    static let cases = [
        Case(name: "invalid JSON", json: #"{"model": "gpt-4o-mini", "messages": ["#, status: .badRequest, code: "invalid_json"),
        Case(name: "JSON array", json: #"[{"model":"gpt-4o-mini"}]"#, status: .badRequest, code: "invalid_request_body"),
        Case(name: "missing model", json: #"{"messages":[{"role":"user","content":"Hi"}]}"#, status: .badRequest, code: "missing_model", parameter: "model"),
        Case(name: "model not a string", json: #"{"model":4,"messages":[]}"#, status: .badRequest, code: "missing_model", parameter: "model"),
        Case(
            name: "body over the limit", json: GatewayHarness.chatBody(String(repeating: "long prompt ", count: 50)),
            status: .contentTooLarge, code: "request_too_large"),
        Case(
            name: "text/plain content type", json: GatewayHarness.chatBody("Hi"), headers: [.contentType: "text/plain"],
            status: .badRequest, code: "unsupported_content_type"),
        Case(
            name: "X-Reprise-TTL not a number", json: GatewayHarness.chatBody("Hi"), headers: [.repriseTTL: "abc"],
            status: .badRequest, code: "invalid_header", parameter: "X-Reprise-TTL"),
        Case(
            name: "X-Reprise-TTL negative", json: GatewayHarness.chatBody("Hi"), headers: [.repriseTTL: "-5"],
            status: .badRequest, code: "invalid_header", parameter: "X-Reprise-TTL"),
    ]

    @Test(arguments: cases)
    func refusedInOpenAIShapeAndNotForwarded(_ request: Case) async throws {
        try await GatewayHarness.run(configure: { $0.maximumBodyBytes = Self.bodyLimit }) { gateway in
            let response = try await gateway.post("/v1/chat/completions", json: request.json, headers: request.headers)
            try response.expectOpenAIError(status: request.status, code: request.code)
            let error = try response.json()["error"]
            #expect(error?["param"] == request.parameter.map(JSONValue.string) ?? .null)
            #expect(response.repriseStatus == nil)
            #expect(gateway.upstream.callCount() == 0)
        }
    }

    @Test func jsonContentTypeWithParametersIsAccepted() async throws {
        try await GatewayHarness.run { gateway in
            let headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
            let response = try await gateway.post("/v1/chat/completions", json: GatewayHarness.chatBody("Hi"), headers: headers)
            #expect(response.status == .ok)
            #expect(gateway.upstream.callCount() == 1)
        }
    }

    @Test func invalidJSONMessageSaysWhatIsWrong() async throws {
        try await GatewayHarness.run { gateway in
            let response = try await gateway.post("/v1/chat/completions", json: "{not json}")
            let message = try response.json()["error"]?["message"]?.stringValue
            #expect(message?.contains("not valid JSON") == true)
        }
    }

    @Test func bodyLimitIsNamedInTheMessage() async throws {
        try await GatewayHarness.run(configure: { $0.maximumBodyBytes = Self.bodyLimit }) { gateway in
            let response = try await gateway.chat(String(repeating: "x", count: 1000))
            let message = try response.json()["error"]?["message"]?.stringValue
            #expect(message?.contains("\(Self.bodyLimit) bytes") == true)
            #expect(message?.contains("server.max_body_bytes") == true)
        }
    }
}
