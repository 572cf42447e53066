import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
@testable import RepriseServer
import RepriseSemantic
import RepriseTesting
import Testing

/// Semantic matching with vectors from an OpenAI-compatible `/v1/embeddings` endpoint (here the fake
/// upstream's, whose vectors barely move when one character changes).
@Suite struct RemoteEmbedderGatewayTests {
    @Test func aParaphraseIsMatchedWithRemoteVectors() async throws {
        try await GatewayHarness.run(configure: {
            SemanticGatewayTests.semanticOn(&$0)
            // A timeout no busy machine reaches, so a slow embedding never turns the paraphrase into a miss.
            $0.semantic.embedder = .remote(
                RemoteEmbedderSettings(url: $0.upstreamURL, model: "text-embedding-3-small", dimensions: 64, timeout: .seconds(30)))
        }) { gateway in
            let first = try await gateway.chat("How do I reset my password?")
            #expect(first.repriseStatus == "miss")
            let second = try await gateway.chat("How do I reset my password!")
            #expect(second.repriseStatus == "semantic-hit")
            #expect(second.headers[.repriseMatchedKey] == first.cacheKey)
            #expect(gateway.upstream.callCount(path: "/v1/chat/completions") == 1)
            #expect(gateway.upstream.callCount(path: "/v1/embeddings") == 2)
            let stats = try await gateway.get("/admin/stats", headers: .bearer("admin")).json()
            #expect(stats["semantic"]?["embedder"]?.stringValue == "remote:text-embedding-3-small:64")
        }
    }

    @Test func anEmbeddingsEndpointThatIsDownNeverFailsARequest() async throws {
        try await GatewayHarness.run(configure: {
            SemanticGatewayTests.semanticOn(&$0)
            // A refused connection fails at once; a gateway that waited for the timeout would take two minutes.
            $0.semantic.embedder = .remote(
                RemoteEmbedderSettings(url: "http://127.0.0.1:9", model: "text-embedding-3-small", dimensions: 64, timeout: .seconds(60)))
        }) { gateway in
            let started = ContinuousClock.now
            let first = try await gateway.chat("How do I reset my password?")
            #expect(first.status == .ok)
            #expect(first.repriseStatus == "miss")
            #expect(try await gateway.chat("How do I reset my password?").repriseStatus == "hit")
            #expect(ContinuousClock.now - started < .seconds(30))
            let metrics = try await gateway.get("/metrics").text
            #expect(metrics.contains(#"reprise_semantic_lookups_total{result="failed"} 1"#))
        }
    }

    @Test func startingUpAsksTheEndpointForItsDimension() async throws {
        let upstream = FakeUpstream()
        try await upstream.withRunning { baseURL in
            var settings = SemanticSettings()
            settings.embedder = .remote(RemoteEmbedderSettings(url: baseURL, model: "text-embedding-3-small", timeout: .seconds(30)))
            let named = try await SemanticEmbedderFactory.make(settings)
            #expect(named.embedder.dimension == 8)
            #expect(named.name == "remote:text-embedding-3-small:8")
            #expect(upstream.callCount(path: "/v1/embeddings") == 1)
        }
    }

    @Test func anUnreachableEndpointStopsTheStartWithItsName() async throws {
        var settings = SemanticSettings()
        settings.embedder = .remote(RemoteEmbedderSettings(url: "http://127.0.0.1:9", model: "text-embedding-3-small"))
        let error = try await #require(throws: ConfigurationError.self) { _ = try await SemanticEmbedderFactory.make(settings) }
        #expect(error.message.contains("semantic.remote"))
        #expect(error.message.contains("127.0.0.1:9"))
    }
}
