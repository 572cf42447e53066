import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// Policy rules and the volatility detector, seen through the gateway.
@Suite struct PolicyTests {
    @Test func bypassRuleSkipsTheCache() async throws {
        let configure: @Sendable (inout GatewayConfiguration) -> Void = {
            $0.policy.rules = [PolicyRule(name: "agents", model: Glob("agent-*"), action: .bypass)]
        }
        try await GatewayHarness.run(configure: configure) { gateway in
            for _ in 0..<2 {
                let response = try await gateway.chat("Book me a flight.", model: "agent-7")
                #expect(response.status == .ok)
                #expect(response.repriseStatus == "bypass")
                #expect(response.cacheStatus == "reprise; fwd=bypass; detail=agents")
            }
            #expect(gateway.upstream.callCount() == 2)
            #expect(try await gateway.storedEntries() == 0)

            try await gateway.chat("Book me a flight.", model: "gpt-4o-mini")
            let other = try await gateway.chat("Book me a flight.", model: "gpt-4o-mini")
            #expect(other.repriseStatus == "hit")
        }
    }

    @Test func ruleTimeToLiveApplies() async throws {
        let configure: @Sendable (inout GatewayConfiguration) -> Void = {
            $0.policy.rules = [PolicyRule(name: "embeddings", route: Glob("/v1/embeddings"), action: .timeToLive(.seconds(86400)))]
        }
        try await GatewayHarness.run(configure: configure) { gateway in
            let json = #"{"model":"text-embedding-3-small","input":"stable text"}"#
            try await gateway.post("/v1/embeddings", json: json)
            gateway.clock.advance(by: .seconds(3600))
            let hit = try await gateway.post("/v1/embeddings", json: json)
            #expect(hit.repriseStatus == "hit")
            #expect(hit.cacheStatus == "reprise; hit; ttl=82800")
        }
    }

    static let detecting: @Sendable (inout GatewayConfiguration) throws -> Void = {
        $0.policy.volatilityDetector = try VolatilityDetector()
    }

    @Test func personalDataIsNeverCached() async throws {
        try await GatewayHarness.run(configure: Self.detecting) { gateway in
            let prompt = "Write a reply to jane.doe@example.com about the invoice."
            for _ in 0..<2 {
                let response = try await gateway.chat(prompt)
                #expect(response.repriseStatus == "bypass")
                #expect(response.cacheStatus == "reprise; fwd=bypass; detail=personal-data")
            }
            #expect(gateway.upstream.callCount() == 2)
            #expect(try await gateway.storedEntries() == 0)
        }
    }

    @Test func timeSensitivePromptIsCachedBriefly() async throws {
        try await GatewayHarness.run(configure: Self.detecting) { gateway in
            let prompt = "What is the latest news today?"
            let first = try await gateway.chat(prompt)
            #expect(first.repriseStatus == "miss")
            #expect(first.cacheStatus == "reprise; fwd=uri-miss; stored")

            let hit = try await gateway.chat(prompt)
            #expect(hit.repriseStatus == "hit")
            #expect(hit.cacheStatus == "reprise; hit; ttl=60")

            gateway.clock.advance(by: .seconds(61))
            #expect(try await gateway.chat(prompt).repriseStatus == "miss")
            #expect(gateway.upstream.callCount() == 2)
        }
    }

    @Test func ordinaryPromptKeepsTheDefaultLifetimeWithTheDetectorOn() async throws {
        try await GatewayHarness.run(configure: Self.detecting) { gateway in
            try await gateway.chat("Explain how a bicycle stays upright.")
            let hit = try await gateway.chat("Explain how a bicycle stays upright.")
            #expect(hit.cacheStatus == "reprise; hit; ttl=300")
        }
    }
}
