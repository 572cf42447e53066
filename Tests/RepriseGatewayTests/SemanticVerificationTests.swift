import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseSemantic
import RepriseTesting
import Testing

/// Shadow verification: semantic hits also asked upstream, the answers compared, and the false-hit rate with
/// its interval reported.
@Suite struct SemanticVerificationTests {
    @Test func aPlantedWrongHitIsCountedAndAFaithfulOneIsNot() async throws {
        // France: the paraphrase's answer says the same (both answers mention "capital of France", which the stub
        // maps to one vector). Hamlet/Macbeth: planted as similar, but the upstream's answers differ.
        let embedder = StubEmbedder(
            exact: [
                "Who wrote Hamlet?": StubEmbedder.axis(7), "Who wrote Macbeth?": StubEmbedder.near(7, similarity: 0.99, towards: 8),
            ],
            contains: [("capital of France", StubEmbedder.axis(0))])
        try await GatewayHarness.run(embedder: embedder.named, verificationSampling: .always, configure: {
            SemanticGatewayTests.semanticOn(&$0)
            $0.semantic.verificationRate = 1
            $0.semantic.guards = .none
            $0.adminToken = "admin"
        }) { gateway in
            try await gateway.chat("What is the capital of France?")
            #expect(try await gateway.chat("Tell me the capital of France").repriseStatus == "semantic-hit")
            try await gateway.chat("Who wrote Hamlet?")
            #expect(try await gateway.chat("Who wrote Macbeth?").repriseStatus == "semantic-hit")

            try await gateway.waitUntilBackgroundIsIdle(adminToken: "admin")
            let verification = try await gateway.get("/admin/stats", headers: .bearer("admin")).json()["semantic"]?["verification"] ?? .null
            #expect(verification["agreed"]?.intValue == 1)
            #expect(verification["disagreed"]?.intValue == 1)
            #expect(verification["failed"]?.intValue == 0)
            #expect(verification["false_hit_rate"]?.doubleValue == 0.5)
            let bounds = verification["false_hit_rate_95"]?.arrayValue ?? []
            let interval = bounds.compactMap(\.doubleValue)
            #expect(interval.count == 2)
            #expect(interval[0] > 0.09 && interval[0] < 0.1)
            #expect(interval[1] > 0.9 && interval[1] < 0.91)
            // Each verification is an upstream call of its own.
            #expect(gateway.upstream.callCount() == 4)

            let metrics = try await gateway.get("/metrics").text
            #expect(metrics.contains(#"reprise_semantic_verifications_total{outcome="disagreed"} 1"#))
            #expect(metrics.contains(#"reprise_semantic_verifications_total{outcome="agreed"} 1"#))
            #expect(metrics.contains("reprise_semantic_false_hit_rate 0.5"))
        }
    }

    @Test func withARateOfZeroNothingIsVerified() async throws {
        try await GatewayHarness.run(embedder: SemanticGatewayTests.embedder.named, verificationSampling: .always, configure: {
            SemanticGatewayTests.semanticOn(&$0)
            $0.adminToken = "admin"
        }) { gateway in
            try await gateway.chat(SemanticGatewayTests.original)
            #expect(try await gateway.chat(SemanticGatewayTests.paraphrase).repriseStatus == "semantic-hit")
            try await gateway.waitUntilBackgroundIsIdle(adminToken: "admin")
            #expect(gateway.upstream.callCount() == 1)
            let verification = try await gateway.get("/admin/stats", headers: .bearer("admin")).json()["semantic"]?["verification"]
            #expect(verification?["agreed"]?.intValue == 0)
            #expect(verification?["false_hit_rate"] == .null)
        }
    }
}
