import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// Several upstreams behind one gateway, routed by provider and model.
@Suite struct UpstreamRoutingTests {
    /// A gateway in front of two OpenAI-compatible fakes — `openai` for every model, `local` for `llama-*`
    /// and `qwen*` with a key of its own — and an Azure upstream for `gpt-4o*` deployments only.
    static func withTwoUpstreams(
        _ body: @Sendable (_ client: any TestClientProtocol, _ openAI: FakeUpstream, _ local: FakeUpstream, _ log: RecordingLogHandler.Record) async throws -> Void
    ) async throws {
        let record = RecordingLogHandler.Record()
        let openAI = FakeUpstream(), local = FakeUpstream()
        try await openAI.withRunning { openAIURL in
            try await local.withRunning { localURL in
                try await withTemporaryDirectory { directory in
                    var configuration = GatewayConfiguration()
                    configuration.upstreams = [
                        UpstreamSettings(name: "openai", provider: "openai", url: openAIURL),
                        UpstreamSettings(name: "local", provider: "openai", url: localURL, models: ["llama-*", "qwen*"], apiKey: "local-gateway-key"),
                        UpstreamSettings(name: "azure-east", provider: "azure", url: localURL, models: ["gpt-4o*"]),
                    ]
                    configuration.namespaceSecret = GatewayHarness.secret
                    var logger = Logger(label: "reprise.routing-tests") { _ in RecordingLogHandler(record: record) }
                    logger.logLevel = .debug
                    let app = try buildApplication(configuration: configuration, store: MemoryCacheStore(clock: ManualClock()), clock: ManualClock(), logger: logger)
                    try await app.test(.router) { client in
                        try await body(client, openAI, local, record)
                    }
                }
            }
        }
    }

    static func chat(_ client: any TestClientProtocol, model: String, stream: Bool = false, key: String = "client-key") async throws -> TestResponse {
        try await client.execute(
            uri: "/v1/chat/completions", method: .post, headers: [.contentType: "application/json", .authorization: "Bearer \(key)"],
            body: ByteBuffer(string: GatewayHarness.chatBody("Which upstream answers \(model)?", model: model, stream: stream)))
    }

    @Test func aModelTheLocalUpstreamTakesNeverReachesTheOtherOne() async throws {
        try await Self.withTwoUpstreams { client, openAI, local, _ in
            for model in ["llama-3.1-8b", "qwen2.5-7b"] {
                for stream in [false, true, false] {
                    let answer = try await Self.chat(client, model: model, stream: stream)
                    #expect(answer.status == .ok)
                }
            }
            #expect(openAI.callCount() == 0, "a llama or qwen model reached the OpenAI upstream")
            #expect(local.callCount(model: "llama-3.1-8b") == 1)
            #expect(local.callCount(model: "qwen2.5-7b") == 1)
            let gpt = try await Self.chat(client, model: "gpt-4o-mini")
            #expect(gpt.status == .ok)
            #expect(openAI.callCount(model: "gpt-4o-mini") == 1, "every other model goes to the entry without models")
            #expect(local.callCount(model: "gpt-4o-mini") == 0)
        }
    }

    @Test func anUpstreamsOwnKeyReplacesTheClientsForThatUpstreamOnly() async throws {
        try await Self.withTwoUpstreams { client, openAI, local, _ in
            _ = try await Self.chat(client, model: "llama-3.1-8b")
            #expect(local.lastRequestHeaders["authorization"] == "Bearer local-gateway-key")
            _ = try await Self.chat(client, model: "gpt-4o-mini")
            #expect(openAI.lastRequestHeaders["authorization"] == "Bearer client-key")
        }
    }

    @Test func aModelNoUpstreamTakesIsA400NamingTheModelAndTheGlobs() async throws {
        try await Self.withTwoUpstreams { client, _, local, _ in
            let answer = try await client.execute(
                uri: "/openai/deployments/mistral-large/chat/completions?api-version=2024-10-21", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("api-key")!: "azure-key"],
                body: ByteBuffer(string: #"{"messages":[{"role":"user","content":"Hi"}]}"#))
            #expect(answer.status == .badRequest)
            let message = try JSONParser.parse(answer.body.readableBytesView)["error"]?["message"]?.stringValue ?? ""
            #expect(message.contains("'mistral-large'"), "\(message)")
            #expect(message.contains("azure-east (gpt-4o*)"), "\(message)")
            #expect(local.callCount() == 0)
            let taken = try await client.execute(
                uri: "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("api-key")!: "azure-key"],
                body: ByteBuffer(string: #"{"messages":[{"role":"user","content":"Hi"}]}"#))
            #expect(taken.status == .ok)
            #expect(local.callCount(model: "gpt-4o") == 1)
        }
    }

    @Test func aProviderWithNoUpstreamIsRefusedNamingTheSettingToAdd() async throws {
        var configuration = GatewayConfiguration()
        configuration.namespaceSecret = GatewayHarness.secret
        let app = try buildApplication(configuration: configuration, store: MemoryCacheStore(clock: ManualClock()), clock: ManualClock())
        try await app.test(.router) { client in
            let answer = try await client.execute(
                uri: "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", method: .post,
                headers: [.contentType: "application/json", HTTPField.Name("api-key")!: "azure-key"],
                body: ByteBuffer(string: #"{"messages":[{"role":"user","content":"Hi"}]}"#))
            #expect(answer.status == .notFound)
            let message = try JSONParser.parse(answer.body.readableBytesView)["error"]?["message"]?.stringValue ?? ""
            #expect(message.contains("provider: azure"), "\(message)")
        }
    }

    @Test func theRequestLogAndTheMetricsNameTheUpstream() async throws {
        try await Self.withTwoUpstreams { client, _, _, log in
            _ = try await Self.chat(client, model: "llama-3.1-8b")
            _ = try await Self.chat(client, model: "gpt-4o-mini")
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"reprise_upstream_requests_total{upstream="local"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"reprise_upstream_requests_total{upstream="openai"} 1"#))
            #expect(log.text.contains("Reprise.upstream=local"), "\(log.text)")
            #expect(log.text.contains("Reprise.upstream=openai"))
        }
    }

    @Test func theRequestLogRecordNamesTheUpstream() throws {
        let record = RequestLogRecord(timestamp: "2026-12-07T00:00:00.000Z", route: "/v1/chat/completions", cacheStatus: "miss", httpStatus: 200, latencyMilliseconds: 1, upstream: "local")
        let line = try JSONParser.parse(Array(try JSONEncoder().encode(record)))
        #expect(line["upstream"] == "local")
        #expect(try JSONDecoder().decode(RequestLogRecord.self, from: JSONEncoder().encode(record)).upstream == "local")
    }

    @Test func theRoutingTableListsEveryUpstreamWithItsModels() {
        var configuration = GatewayConfiguration()
        configuration.upstreams = [UpstreamSettings(name: "local", provider: "openai", url: "http://127.0.0.1:8000", models: ["llama-*"])]
        let table = upstreamRoutingTable(configuration: configuration)
        #expect(table.contains("local      openai     http://127.0.0.1:8000"), "\(table)")
        #expect(table.contains("llama-*"))
        #expect(table.contains("anthropic  anthropic  https://api.anthropic.com"))
        #expect(table.contains("gemini     gemini     https://generativelanguage.googleapis.com"))
        #expect(!table.contains("api.openai.com"), "the list names openai, so no default OpenAI entry is added")
    }
}
