import Foundation
import Reprise
import RepriseGateway
@testable import RepriseServer
import RepriseSemantic
import Testing

/// The Anthropic upstream, its key and the automatic breakpoints, from the file, the environment and flags.
@Suite struct AnthropicConfigurationTests {
    @Test func defaultsPointAtAnthropicWithBreakpointsOff() async throws {
        let configuration = try await ConfigurationLoadingTests.load("server:\n  port: 8081\n")
        #expect(configuration.anthropicUpstreamURL == "https://api.anthropic.com")
        #expect(configuration.anthropicAPIKey == nil)
        #expect(!configuration.promptCacheBreakpoints.isEnabled)
        #expect(configuration.promptCacheBreakpoints.minimumTokens(for: "claude-opus-4-6") == 4096)
        #expect(configuration.promptCacheBreakpoints.minimumTokens(for: "claude-sonnet-4-6") == 2048)
    }

    @Test func fileThenEnvironmentThenFlagSetTheAnthropicUpstream() async throws {
        let yaml = """
            upstream:
              anthropic_url: http://file.example
              anthropic_api_key_env: TEST_ANTHROPIC_KEY
            prompt_cache:
              auto_breakpoints: true
              minimum_tokens:
                - model: my-claude*
                  tokens: 2000
            """
        let environment = ["TEST_ANTHROPIC_KEY": "sk-ant-from-env"]
        let fromFile = try await ConfigurationLoadingTests.load(yaml, environment: environment)
        #expect(fromFile.anthropicUpstreamURL == "http://file.example")
        #expect(fromFile.anthropicAPIKey == "sk-ant-from-env")
        #expect(fromFile.upstreamAPIKey == nil)
        #expect(fromFile.promptCacheBreakpoints.isEnabled)
        #expect(fromFile.promptCacheBreakpoints.minimumTokens(for: "my-claude-2") == 2000)
        // The list replaces the defaults; unmatched models get 1,024.
        #expect(fromFile.promptCacheBreakpoints.minimumTokens(for: "claude-opus-4-6") == 1024)

        let fromEnvironment = try await ConfigurationLoadingTests.load(
            yaml, environment: environment.merging(["REPRISE_ANTHROPIC_UPSTREAM": "http://env.example", "REPRISE_AUTO_BREAKPOINTS": "off"]) { $1 })
        #expect(fromEnvironment.anthropicUpstreamURL == "http://env.example")
        #expect(!fromEnvironment.promptCacheBreakpoints.isEnabled)

        let fromFlag = try await ConfigurationLoadingTests.load(
            yaml, environment: environment.merging(["REPRISE_ANTHROPIC_UPSTREAM": "http://env.example"]) { $1 },
            flags: ["--anthropic-upstream", "http://flag.example"])
        #expect(fromFlag.anthropicUpstreamURL == "http://flag.example")
    }

    @Test func problemsNameTheirKey() async throws {
        let missing = try await ConfigurationLoadingTests.loadingError("upstream:\n  anthropic_api_key_env: NOT_SET_ANYWHERE\n")
        #expect(missing.message.contains("upstream.anthropic_api_key_env"))
        let url = try await ConfigurationLoadingTests.loadingError("upstream:\n  anthropic_url: api.anthropic.com\n")
        #expect(url.message.contains("upstream.anthropic_url"))
        let tokens = try await ConfigurationLoadingTests.loadingError("prompt_cache:\n  minimum_tokens:\n    - model: x\n      tokens: 0\n")
        #expect(tokens.message.contains("prompt_cache.minimum_tokens[0].tokens"))
        let unknown = try await ConfigurationLoadingTests.loadingError("prompt_cache:\n  breakpoints: true\n")
        #expect(unknown.message.contains("prompt_cache.breakpoints"))
    }
}
