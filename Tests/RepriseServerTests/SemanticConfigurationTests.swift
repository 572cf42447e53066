import Foundation
import Logging
import Reprise
import RepriseGateway
@testable import RepriseServer
import RepriseSemantic
import RepriseTesting
import Testing

/// The `semantic` section, semantic rules, `--semantic` and the errors that name what is wrong.
@Suite struct SemanticConfigurationTests {
    @Test func theSectionApplies() async throws {
        let configuration = try await ConfigurationLoadingTests.load(
            """
            semantic:
              enabled: true
              default: 0.97
              threshold: 0.94
              builtin_model: All-MPNet-Base-v2
              model_directory: /models/minilm
              guards: {numbers: false, entities: false}
              candidates: 8
              refresh_interval: 30s
              scope_limit: 500
              max_indexed: 5000
              verify_rate: 0.1
              verify_similarity: 0.85
              verify_concurrency: 2
            cache:
              rules:
                - model: "faq-*"
                  semantic: on
                - route: /v1/embeddings
                  ttl: 1h
                  semantic: false
            """)
        let semantic = configuration.semantic
        #expect(semantic.isEnabled)
        #expect(semantic.embedder == .builtIn)
        #expect(semantic.builtInModel == .mpnet)
        #expect(semantic.modelDirectory == "/models/minilm")
        #expect(semantic.guards.enabled == [.negation, .quotes, .code])
        #expect(semantic.candidates == 8)
        #expect(semantic.refreshInterval == .seconds(30))
        #expect(semantic.scopeLimit == 500)
        #expect(semantic.maximumIndexedEntries == 5000)
        #expect(semantic.verificationRate == 0.1)
        #expect(semantic.verificationSimilarity == 0.85)
        #expect(semantic.maximumConcurrentVerifications == 2)
        #expect(configuration.policy.semantic == .threshold(0.97))
        #expect(configuration.policy.semanticThreshold == 0.94)
        #expect(configuration.policy.rules[0].semantic == .on)
        #expect(configuration.policy.rules[0].action == .defaultTimeToLive)
        #expect(configuration.policy.rules[1].semantic == .off)
        #expect(configuration.policy.rules[1].action == .timeToLive(.seconds(3600)))
    }

    @Test func aRemoteEmbedderTakesItsKeyFromTheEnvironment() async throws {
        let yaml = """
            semantic:
              enabled: true
              embedder: remote
              remote: {url: "http://127.0.0.1:9", model: text-embedding-3-small, api_key_env: EMBED_KEY, dimensions: 256}
            """
        let configuration = try await ConfigurationLoadingTests.load(yaml, environment: ["EMBED_KEY": "sk-embed"])
        #expect(
            configuration.semantic.embedder
                == .remote(RemoteEmbedderSettings(url: "http://127.0.0.1:9", model: "text-embedding-3-small", apiKey: "sk-embed", dimensions: 256)))
        let missing = try await ConfigurationLoadingTests.loadingError(yaml)
        #expect(missing.message.contains("semantic.remote.api_key_env"))
        #expect(missing.message.contains("EMBED_KEY"))
    }

    @Test func theFlagAndEnvironmentTurnItOn() async throws {
        let flags = ["--semantic", "--model-directory", "/opt/model", "--builtin-model", "all-mpnet-base-v2"]
        let flagged = try await ConfigurationLoadingTests.load("{}", flags: flags)
        #expect(flagged.semantic.isEnabled)
        #expect(flagged.semantic.modelDirectory == "/opt/model")
        #expect(flagged.semantic.builtInModel == .mpnet)
        let environment = try await ConfigurationLoadingTests.load(
            "{}", environment: ["REPRISE_SEMANTIC": "true", "REPRISE_MODEL_DIR": "/m", "REPRISE_BUILTIN_MODEL": "all-mpnet-base-v2"])
        #expect(environment.semantic.isEnabled)
        #expect(environment.semantic.modelDirectory == "/m")
        #expect(environment.semantic.builtInModel == .mpnet)
        let unset = try await ConfigurationLoadingTests.load("{}")
        #expect(unset.semantic.builtInModel == .miniLM)
    }

    @Test func anUnknownBuiltInModelIsNamedWithTheChoices() async throws {
        let file = try await ConfigurationLoadingTests.loadingError("semantic: {builtin_model: bge-small}")
        #expect(file.message.contains("semantic.builtin_model"))
        #expect(file.message.contains("all-MiniLM-L6-v2 or all-mpnet-base-v2"))
        #expect(file.message.contains("bge-small"))
        let flag = try await ConfigurationLoadingTests.loadingError("{}", flags: ["--builtin-model", "mpnet"])
        #expect(flag.message.contains("--builtin-model"))
        let environment = try await ConfigurationLoadingTests.loadingError("{}", environment: ["REPRISE_BUILTIN_MODEL": "mpnet"])
        #expect(environment.message.contains("REPRISE_BUILTIN_MODEL"))
        let remote = try await ConfigurationLoadingTests.loadingError(
            "semantic: {embedder: remote, builtin_model: all-mpnet-base-v2, remote: {url: 'http://127.0.0.1:9', model: m}}")
        #expect(remote.message.contains("semantic.builtin_model"))
    }

    @Test(arguments: [
        ("semantic: {threshold: 1.5}", "semantic.threshold"),
        ("semantic: {default: sometimes}", "semantic.default"),
        ("semantic: {embedder: gpu}", "semantic.embedder"),
        ("semantic: {embedder: remote}", "semantic.remote"),
        ("semantic: {enabled: true, candidates: 0}", "semantic.candidates"),
        ("semantic: {verify_rate: 2}", "semantic.verify_rate"),
        ("semantic: {guard: {numbers: false}}", "semantic.guard"),
        ("cache: {rules: [{model: x, semantic: sometimes}]}", "cache.rules[0].semantic"),
        ("semantic: {max_indexed: 0}", "semantic.max_indexed"),
    ])
    func mistakesAreNamed(yaml: String, key: String) async throws {
        let error = try await ConfigurationLoadingTests.loadingError(yaml)
        #expect(error.message.contains(key), "\(error.message)")
    }

    @Test func turningMatchingOffKeepsTheRulesThatAskForIt() async throws {
        let configuration = try await ConfigurationLoadingTests.load(
            "semantic: {enabled: false, default: on}\ncache: {rules: [{model: x, semantic: on}]}")
        #expect(!configuration.semantic.isEnabled)
        #expect(configuration.policy.rules[0].semantic == .on)
    }

    @Test func aMissingModelStopsTheGatewayWithInstructions() async throws {
        var configuration = GatewayConfiguration()
        configuration.namespaceSecret = ServerTestValues.secret
        configuration.semantic.isEnabled = true
        configuration.semantic.modelDirectory = "/nonexistent/reprise-model"
        let error = try await #require(throws: ConfigurationError.self) {
            _ = try await GatewayServer.make(configuration: configuration, clock: ManualClock(), logger: Logger(label: "test"))
        }
        #expect(error.message.contains("reprise model pull"))
        #expect(error.message.contains("/nonexistent/reprise-model"))
    }

    @Test(
        "the configured built-in model is loaded and files its vectors under its own name",
        .enabled(if: ProcessInfo.processInfo.environment["REPRISE_TEST_MPNET_DIR"] != nil, "scripts/test.sh sets REPRISE_TEST_MPNET_DIR"))
    func theSecondBuiltInModelLoads() async throws {
        var settings = SemanticSettings()
        settings.builtInModel = .mpnet
        settings.modelDirectory = ProcessInfo.processInfo.environment["REPRISE_TEST_MPNET_DIR"]
        let named = try await SemanticEmbedderFactory.make(settings)
        #expect(named.name == "all-mpnet-base-v2")
        #expect(named.embedder.dimension == 768)
        let vector = try await named.embedder.embed("How do I reset my password?")
        #expect(vector.count == 768)
    }

    @Test func aMissingSecondModelNamesItInTheInstructions() async throws {
        var configuration = GatewayConfiguration()
        configuration.namespaceSecret = ServerTestValues.secret
        configuration.semantic.isEnabled = true
        configuration.semantic.builtInModel = .mpnet
        configuration.semantic.modelDirectory = "/nonexistent/reprise-mpnet"
        let error = try await #require(throws: ConfigurationError.self) {
            _ = try await GatewayServer.make(configuration: configuration, clock: ManualClock(), logger: Logger(label: "test"))
        }
        #expect(error.message.contains("reprise model pull all-mpnet-base-v2"))
        #expect(error.message.contains("/nonexistent/reprise-mpnet"))
    }

    @Test func aGatewayBuiltWithMatchingOnButNoEmbedderIsRefused() throws {
        var configuration = GatewayConfiguration()
        configuration.namespaceSecret = ServerTestValues.secret
        configuration.semantic.isEnabled = true
        let error = try #require(throws: ConfigurationError.self) {
            _ = try buildApplication(configuration: configuration, clock: ManualClock())
        }
        #expect(error.message.contains("semantic.enabled"))
        #expect(error.message.contains("GatewayServer.make"))
    }
}
