import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// `POST /v1/messages` is cached like chat completions, with Anthropic's headers, errors and upstream.
@Suite struct AnthropicMessagesTests {
    @Test func secondIdenticalMessageIsAHit() async throws {
        try await GatewayHarness.run { gateway in
            let body = Anthropic.body("What is the capital of Norway?")
            let first = try await gateway.post("/v1/messages", json: body, headers: Anthropic.version)
            #expect(first.status == .ok)
            #expect(first.repriseStatus == "miss")
            let second = try await gateway.post("/v1/messages", json: body, headers: Anthropic.version)
            #expect(second.repriseStatus == "hit")
            #expect(second.bytes == first.bytes)
            #expect(try first.json()["type"]?.stringValue == "message")
            #expect(gateway.upstream.callCount(path: "/v1/messages") == 1)
        }
    }

    @Test func versionAndBetaHeadersGoUpstreamAndBetaSplitsTheKey() async throws {
        try await GatewayHarness.run { gateway in
            let body = Anthropic.body("Summarise this.")
            var beta = Anthropic.version
            beta[HTTPField.Name("anthropic-beta")!] = "files-api-2025-04-14, context-1m-2025-08-07"
            let plain = try await gateway.post("/v1/messages", json: body, headers: Anthropic.version)
            let withBeta = try await gateway.post("/v1/messages", json: body, headers: beta)
            #expect(withBeta.repriseStatus == "miss")
            #expect(withBeta.cacheKey != plain.cacheKey)
            #expect(gateway.upstream.lastRequestHeaders["anthropic-beta"] == "files-api-2025-04-14, context-1m-2025-08-07")
            #expect(gateway.upstream.lastRequestHeaders["anthropic-version"] == "2023-06-01")
            // The same beta features in another order and spacing are the same key.
            beta[HTTPField.Name("anthropic-beta")!] = "context-1m-2025-08-07,files-api-2025-04-14"
            let reordered = try await gateway.post("/v1/messages", json: body, headers: beta)
            #expect(reordered.repriseStatus == "hit")
            #expect(reordered.cacheKey == withBeta.cacheKey)
        }
    }

    @Test func metadataAndCacheControlDoNotSplitTheKey() async throws {
        try await GatewayHarness.run { gateway in
            let plain = #"{"model":"claude-sonnet-4-5","max_tokens":64,"system":[{"type":"text","text":"Be brief."}],"messages":[{"role":"user","content":"Hi"}]}"#
            let marked = #"{"model":"claude-sonnet-4-5","max_tokens":64,"metadata":{"user_id":"u-1"},"system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"Hi"}]}"#
            try await gateway.post("/v1/messages", json: plain, headers: Anthropic.version)
            let second = try await gateway.post("/v1/messages", json: marked, headers: Anthropic.version)
            #expect(second.repriseStatus == "hit")
        }
    }

    @Test func xAPIKeyAndBearerNamespacesAreTheCredentials() async throws {
        try await GatewayHarness.run { gateway in
            let body = Anthropic.body("Namespaces?")
            let viaKey: HTTPFields = [HTTPField.Name("x-api-key")!: "sk-ant-one"]
            let first = try await gateway.post("/v1/messages", json: body, headers: viaKey)
            // The same credential sent as a bearer token is the same namespace.
            let bearer = try await gateway.post("/v1/messages", json: body, headers: .bearer("sk-ant-one"))
            #expect(bearer.repriseStatus == "hit")
            #expect(bearer.cacheKey == first.cacheKey)
            let other = try await gateway.post("/v1/messages", json: body, headers: [HTTPField.Name("x-api-key")!: "sk-ant-two"])
            #expect(other.repriseStatus == "miss")
        }
    }

    @Test func gatewayHeldKeyGoesUpstreamAsXAPIKey() async throws {
        try await GatewayHarness.run(configure: { $0.anthropicAPIKey = "sk-ant-gateway"; $0.upstreamAPIKey = "sk-openai-gateway" }) { gateway in
            try await gateway.post("/v1/messages", json: Anthropic.body("Whose key?"), headers: .bearer("client"))
            #expect(gateway.upstream.lastRequestHeaders["x-api-key"] == "sk-ant-gateway")
            #expect(gateway.upstream.lastRequestHeaders["authorization"] == nil)
            try await gateway.chat("Whose key?", headers: [HTTPField.Name("x-api-key")!: "client"])
            #expect(gateway.upstream.lastRequestHeaders["authorization"] == "Bearer sk-openai-gateway")
            #expect(gateway.upstream.lastRequestHeaders["x-api-key"] == nil)
        }
    }

    @Test func countTokensAndOtherAnthropicPathsPassThroughToTheAnthropicUpstream() async throws {
        let openAI = FakeUpstream()
        try await openAI.withRunning { openAIURL in
            try await GatewayHarness.run(configure: { $0.upstreamURL = openAIURL }) { gateway in
                let counted = try await gateway.post("/v1/messages/count_tokens", json: Anthropic.body("Count me"), headers: Anthropic.version)
                #expect(counted.status == .ok)
                #expect(try counted.json()["input_tokens"]?.intValue ?? 0 > 0)
                #expect(counted.repriseStatus == nil)
                // An Anthropic SDK's /v1/models goes to Anthropic, an OpenAI client's to OpenAI.
                try await gateway.get("/v1/models", headers: Anthropic.version)
                #expect(gateway.upstream.callCount(path: "/v1/models") == 1)
                try await gateway.get("/v1/models", headers: .bearer("sk-openai"))
                #expect(openAI.callCount(path: "/v1/models") == 1)
                #expect(openAI.callCount(path: "/v1/messages/count_tokens") == 0)
                // The cached route itself went to the Anthropic upstream too.
                try await gateway.post("/v1/messages", json: Anthropic.body("Where?"), headers: Anthropic.version)
                #expect(gateway.upstream.callCount(path: "/v1/messages") == 1)
                #expect(openAI.callCount(path: "/v1/messages") == 0)
            }
        }
    }

    @Test func gatewayErrorsUseAnthropicsShape() async throws {
        try await GatewayHarness.run(configure: { $0.clientKeys = ["good"] }) { gateway in
            let unauthorized = try await gateway.post("/v1/messages", json: Anthropic.body("Hi"), headers: [HTTPField.Name("x-api-key")!: "bad"])
            try unauthorized.expectAnthropicError(status: .unauthorized, type: "authentication_error")
            let key: HTTPFields = [HTTPField.Name("x-api-key")!: "good"]
            let invalid = try await gateway.post("/v1/messages", json: #"{"max_tokens":5,"messages":[]}"#, headers: key)
            try invalid.expectAnthropicError(status: .badRequest, type: "invalid_request_error")
            let broken = try await gateway.post("/v1/messages", json: "{not json", headers: key)
            try broken.expectAnthropicError(status: .badRequest, type: "invalid_request_error")
            // OpenAI routes keep OpenAI's shape.
            let openAI = try await gateway.post("/v1/chat/completions", json: "{not json", headers: key)
            try openAI.expectOpenAIError(status: .badRequest, code: "invalid_json")
        }
    }

    @Test func unreachableAnthropicUpstreamIsAnAPIError() async throws {
        try await GatewayHarness.run(configure: { $0.anthropicUpstreamURL = "http://127.0.0.1:1" }) { gateway in
            let answer = try await gateway.post("/v1/messages", json: Anthropic.body("Anyone there?"), headers: Anthropic.version)
            try answer.expectAnthropicError(status: .badGateway, type: "api_error")
        }
    }

    @Test func upstreamErrorsPassThroughInAnthropicsShapeAndAreNotCached() async throws {
        try await GatewayHarness.run { gateway in
            let body = Anthropic.body("Fail", model: "error-529")
            let first = try await gateway.post("/v1/messages", json: body, headers: Anthropic.version)
            try first.expectAnthropicError(status: .init(code: 529), type: "overloaded_error")
            try await gateway.post("/v1/messages", json: body, headers: Anthropic.version)
            #expect(gateway.upstream.callCount(path: "/v1/messages") == 2)
        }
    }

    @Test func toolUseAnswersAreCachedWhole() async throws {
        let tools: [String: JSONValue] = ["tools": [["name": "get_weather", "description": "Weather", "input_schema": ["type": "object"]]]]
        try await GatewayHarness.run { gateway in
            let body = Anthropic.body("Weather in Oslo?", extra: tools)
            let first = try await gateway.post("/v1/messages", json: body, headers: Anthropic.version)
            let second = try await gateway.post("/v1/messages", json: body, headers: Anthropic.version)
            #expect(second.repriseStatus == "hit")
            let block = try #require(try second.json()["content"]?.arrayValue?.first)
            #expect(block["type"]?.stringValue == "tool_use")
            #expect(block["name"]?.stringValue == "get_weather")
            #expect(try first.json()["stop_reason"]?.stringValue == "tool_use")
        }
    }
}
