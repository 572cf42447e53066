import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// What a broken or hostile upstream (or a proxy in front of one) can send: nothing it sends may stop the
/// gateway, be stored as an answer, or be counted as tokens.
@Suite struct HostileUpstreamTests {
    static let absurdCounts = ["9223372036854775807", "4611686018427387904", "1e30"]

    @Test(arguments: absurdCounts)
    func impossibleUsageIsPassedOnButNeitherStoredNorCounted(_ count: String) async throws {
        try await GatewayHarness.run(configure: { $0.adminToken = "admin-token-0123456789" }) { gateway in
            for _ in 0..<2 {
                let answer = try await gateway.chat("Count to three.", model: "usage-\(count)")
                #expect(answer.status == .ok)
                #expect(answer.repriseStatus == "miss")
                #expect(try answer.json()["usage"]?["prompt_tokens"] != nil, "the body is passed on as the upstream sent it")
            }
            #expect(try await gateway.storedEntries() == 0)
            #expect(gateway.upstream.callCount() == 2)
            let stats = try await gateway.get("/admin/stats", headers: .bearer("admin-token-0123456789")).json()
            #expect(stats["requests"]?.intValue == 2)
            let metrics = try await gateway.get("/metrics").text
            #expect(!metrics.contains("e+"), "no absurd token total reaches the metrics")
        }
    }

    @Test(arguments: absurdCounts)
    func impossibleUsageInAStreamIsNeitherStoredNorCounted(_ count: String) async throws {
        let body = GatewayHarness.chatBody("Count to three.", model: "usage-\(count)", stream: true)
        try await GatewayHarness.run { gateway in
            for _ in 0..<2 {
                let answer = try await gateway.post("/v1/chat/completions", json: body)
                #expect(answer.status == .ok)
                #expect(SSE.endsWithDone(answer.text))
            }
            #expect(try await gateway.storedEntries() == 0)
        }
    }

    @Test(arguments: ["/v1/messages"])
    func impossibleAnthropicUsageIsNotStored(_ route: String) async throws {
        let count = "9223372036854775807"
        let plain = #"{"model":"usage-\#(count)","max_tokens":32,"messages":[{"role":"user","content":"Hi"}]}"#
        let streamed = #"{"model":"usage-\#(count)","max_tokens":32,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"#
        try await GatewayHarness.run { gateway in
            for body in [plain, streamed, plain, streamed] {
                let answer = try await gateway.post(route, json: body)
                #expect(answer.status == .ok)
                #expect(answer.repriseStatus == "miss")
            }
            #expect(try await gateway.storedEntries() == 0)
        }
    }

    /// An entry planted in a shared store (or written by a broken build) is dropped, not served: it would
    /// otherwise be accounted on every hit.
    @Test func anEntryThatCannotBeServedIsDroppedOnSight() async throws {
        try await GatewayHarness.run { gateway in
            let first = try await gateway.chat("What is a lighthouse?")
            let key = try #require(first.cacheKey.flatMap(CacheKey.init(hex:)))
            var entry = try #require(try await gateway.store.entry(for: key))
            entry.usage = TokenUsage(promptTokens: .max, completionTokens: .max)
            try await gateway.store.setEntry(entry, for: key)
            let second = try await gateway.chat("What is a lighthouse?")
            #expect(second.status == .ok)
            #expect(second.repriseStatus == "miss")
            #expect(gateway.upstream.callCount() == 2)
            let third = try await gateway.chat("What is a lighthouse?")
            #expect(third.repriseStatus == "hit", "the fresh answer replaced the dropped entry")
        }
    }

    @Test func aSuccessWhoseBodyIsAnErrorIsNotCached() async throws {
        try await GatewayHarness.run { gateway in
            let first = try await gateway.chat("Hello", model: "error-body")
            #expect(first.status == .ok)
            #expect(try first.json()["error"]?["message"] == "overloaded")
            let second = try await gateway.chat("Hello", model: "error-body")
            #expect(second.repriseStatus == "miss")
            #expect(try await gateway.storedEntries() == 0)
            #expect(gateway.upstream.callCount() == 2)
        }
    }

    /// A streaming request answered with a 200 error object gets that object, not a replay of it as an empty
    /// success stream (found by the soak).
    @Test(arguments: ["/v1/chat/completions", "/v1/messages"])
    func aStreamingRequestGetsTheErrorBodyAsSent(_ route: String) async throws {
        let body = route == "/v1/messages"
            ? #"{"model":"error-body","max_tokens":16,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"#
            : GatewayHarness.chatBody("Hello", model: "error-body", stream: true)
        try await GatewayHarness.run { gateway in
            let answer = try await gateway.post(route, json: body)
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType]?.hasPrefix("application/json") == true, "\(answer.headers)")
            #expect(try answer.json()["error"]?["message"] == "overloaded", "\(answer.text)")
            #expect(!answer.text.contains("data:"))
        }
    }

    /// A streaming request answered with an error keeps the upstream's headers, `retry-after` first.
    @Test(arguments: [true, false])
    func anUpstreamErrorKeepsItsHeaders(streams: Bool) async throws {
        let body = GatewayHarness.chatBody("Hello", model: "error-429", stream: streams)
        try await GatewayHarness.run { gateway in
            let answer = try await gateway.post("/v1/chat/completions", json: body)
            #expect(answer.status == .tooManyRequests)
            #expect(answer.headers[HTTPField.Name("retry-after")!] == "7")
            #expect(answer.headers[HTTPField.Name("x-request-id")!] != nil)
            #expect(try answer.json()["error"]?["code"] == "fake_429")
        }
    }

    /// The gateway asks the upstream for usage when it records a stream, so the entry has it; a client
    /// that did not ask never sees the usage chunk.
    @Test func aRecordedStreamIsStoredWithItsUsage() async throws {
        let streamed = GatewayHarness.chatBody("Tell me about tides.", stream: true)
        let withUsage = #"{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Tell me about tides."}]}"#
        try await GatewayHarness.run { gateway in
            let first = try await gateway.post("/v1/chat/completions", json: streamed)
            #expect(first.repriseStatus == "miss")
            #expect(SSE.usage(of: first.text) == nil, "the client did not ask for the usage chunk")
            #expect(SSE.endsWithDone(first.text))
            #expect(gateway.upstream.lastRequestBody?["stream_options"]?["include_usage"] == true)

            let whole = try await gateway.chat("Tell me about tides.")
            #expect(whole.repriseStatus == "hit")
            let usage = try #require(try whole.json()["usage"])
            #expect(usage["completion_tokens"]?.intValue ?? 0 > 0)

            let replay = try await gateway.post("/v1/chat/completions", json: withUsage)
            #expect(replay.repriseStatus == "hit")
            #expect(SSE.usage(of: replay.text) == usage)
        }
    }

    @Test func theQueryStringIsPartOfTheKey() async throws {
        try await GatewayHarness.run { gateway in
            let body = GatewayHarness.chatBody("Pick a colour.")
            let a = try await gateway.post("/v1/chat/completions?variant=a", json: body)
            let b = try await gateway.post("/v1/chat/completions?variant=b", json: body)
            #expect(a.repriseStatus == "miss")
            #expect(b.repriseStatus == "miss")
            #expect(a.cacheKey != b.cacheKey)
            let again = try await gateway.post("/v1/chat/completions?variant=b", json: body)
            #expect(again.repriseStatus == "hit")
            let plain = try await gateway.post("/v1/chat/completions", json: body)
            #expect(plain.repriseStatus == "miss")
            let reordered = try await gateway.post("/v1/chat/completions?y=2&x=1", json: body)
            let ordered = try await gateway.post("/v1/chat/completions?x=1&y=2", json: body)
            #expect(reordered.cacheKey == ordered.cacheKey)
            #expect(ordered.repriseStatus == "hit")
        }
    }

    @Test(arguments: [
        #"{"model":"gpt-4o-mini","input":"Next turn","conversation":"conv_123"}"#,
        #"{"model":"gpt-4o-mini","input":"Next turn","conversation":{"id":"conv_123"}}"#,
        #"{"model":"gpt-4o-mini","input":"Fill it","prompt":{"id":"pmpt_1"}}"#,
    ])
    func requestsTiedToProviderStateAreNeverCached(_ body: String) async throws {
        try await GatewayHarness.run { gateway in
            let first = try await gateway.post("/v1/responses", json: body)
            let second = try await gateway.post("/v1/responses", json: body)
            #expect(first.repriseStatus == "bypass")
            #expect(second.repriseStatus == "bypass")
            #expect(gateway.upstream.callCount() == 2)
        }
    }

    @Test func aPreviousResponseIdStaysCacheableAndKeyed() async throws {
        try await GatewayHarness.run { gateway in
            let one = #"{"model":"gpt-4o-mini","input":"And then?","previous_response_id":"resp_1"}"#
            let two = #"{"model":"gpt-4o-mini","input":"And then?","previous_response_id":"resp_2"}"#
            let pinned = #"{"model":"gpt-4o-mini","input":"Fill it","prompt":{"id":"pmpt_1","version":"3"}}"#
            var statuses: [String?] = []
            for body in [one, two, one, pinned, pinned] {
                statuses.append(try await gateway.post("/v1/responses", json: body).repriseStatus)
            }
            #expect(statuses == ["miss", "miss", "hit", "miss", "hit"])
        }
    }
}

/// Bodies the gateway refuses itself, before anything is forwarded.
@Suite struct RefusedBodyTests {
    @Test(arguments: [
        (#"{"model":"gpt-4o-mini","model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}"#, "Duplicate key 'model'"),
        (#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"a","content":"b"}]}"#, "Duplicate key 'content'"),
        (#"{"model":"gpt-4o-mini","messages":"x"}"#, "'messages' must be an array"),
        (#"{"model":"gpt-4o-mini","messages":["x"]}"#, "'messages[0]' must be an object"),
        (#"{"model":"gpt-4o-mini","messages":[{"content":"x"}]}"#, "'messages[0].role' is required"),
        (#"{"model":"gpt-4o-mini"}"#, "'messages' is required"),
        (#"{"model":"gpt-4o-mini","messages":[],"stream":"yes"}"#, "'stream' must be true, false or null"),
    ])
    func isRefusedWithA400AndNeverForwarded(_ body: String, _ message: String) async throws {
        try await GatewayHarness.run { gateway in
            let answer = try await gateway.post("/v1/chat/completions", json: body)
            #expect(answer.status == .badRequest)
            let text = try #require(try answer.json()["error"]?["message"]?.stringValue)
            #expect(text.contains(message), "\(text)")
            #expect(gateway.upstream.callCount() == 0)
        }
    }

    @Test func anObjectWithTooManyMembersIsRefusedQuickly() async throws {
        let members = (0..<20_000).map { #""k\#($0)":1"# }.joined(separator: ",")
        let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"logit_bias":{\#(members)}}"#
        try await GatewayHarness.run(configure: { $0.maximumBodyBytes = 1 << 20 }) { gateway in
            let answer = try await gateway.post("/v1/chat/completions", json: body)
            #expect(answer.status == .badRequest)
            #expect(try answer.json()["error"]?["message"]?.stringValue?.contains("more than 10000 members") == true)
            #expect(gateway.upstream.callCount() == 0)
        }
    }

    @Test func anthropicMessagesMustBeAnArrayToo() async throws {
        try await GatewayHarness.run { gateway in
            let answer = try await gateway.post("/v1/messages", json: #"{"model":"claude-sonnet-4-5","max_tokens":8,"messages":"x"}"#)
            #expect(answer.status == .badRequest)
            #expect(try answer.json()["type"] == "error")
            #expect(gateway.upstream.callCount() == 0)
        }
    }

    @Test(arguments: ["admin-token-0123456789", "bearer", "Basic admin-token-0123456789", "Bearer"])
    func theAdminTokenIsAcceptedOnlyAsABearerToken(_ authorization: String) async throws {
        try await GatewayHarness.run(configure: { $0.adminToken = "admin-token-0123456789" }) { gateway in
            let refused = try await gateway.get("/admin/stats", headers: [.authorization: authorization])
            #expect(refused.status == .unauthorized)
            let accepted = try await gateway.get("/admin/stats", headers: [.authorization: "bearer admin-token-0123456789"])
            #expect(accepted.status == .ok)
        }
    }
}
