import Foundation
import Reprise
import RepriseGateway
@testable import RepriseServer
import RepriseSemantic
import Testing

/// The example configuration shipped in docs/ must load and mean what its comments say.
@Suite struct ExampleConfigurationTests {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/examples/reprise.yaml").path

    @Test func exampleConfigurationLoads() throws {
        let configuration = try GatewayConfiguration.load(path: Self.path, environment: ProcessEnvironment([:]))
        #expect(configuration.policy.defaultTimeToLive == .seconds(300))
        #expect(configuration.policy.rules.map(\.name) == ["embeddings are stable", "never cache the agent", "FAQ answers"])
        #expect(configuration.policy.rules[0].action == .timeToLive(.seconds(86400)))
        #expect(configuration.policy.rules[1].action == .bypass)
        #expect(configuration.policy.rules[2].action == .timeToLive(.seconds(3600)))
        #expect(configuration.policy.rules[2].semantic == .on)
        #expect(!configuration.semantic.isEnabled)
        #expect(configuration.policy.semanticThreshold == 0.96)
        #expect(configuration.policy.volatilityDetector != nil)
        #expect(configuration.memoryStoreCapacityBytes == 256 * 1024 * 1024)
        #expect(configuration.requestLogPath == "reprise-requests.jsonl")
        #expect(configuration.anthropicUpstreamURL == "https://api.anthropic.com")
        #expect(!configuration.promptCacheBreakpoints.isEnabled)
        #expect(configuration.promptCacheBreakpoints.minimumTokens(for: "claude-haiku-4-5-20251001") == 4096)
        #expect(configuration.promptCacheBreakpoints.minimumTokens(for: "claude-3-5-haiku-latest") == 1024)
    }
}
