import Foundation
import Logging
import Reprise
import RepriseGateway
import RepriseTesting
@testable import RepriseServer
import RepriseSemantic
import Testing

/// Loading `reprise serve`'s configuration: defaults, then the file, then the environment, then flags;
/// and errors that say which key, line or variable is at fault.
@Suite struct ConfigurationLoadingTests {
    static let file = """
        server:
          port: 9090
          max_body_bytes: 1MiB
        upstream:
          url: http://file.example
          timeout: 30s
        cache:
          default_ttl: 10m
          max_ttl: 2h
          shadow: true
        request_log:
          path: /tmp/from-file.jsonl
          log_bodies: true
        """

    /// Loads `yaml` from a temporary file.
    static func load(
        _ yaml: String, environment: [String: String] = [:], flags: [String] = []
    ) async throws -> GatewayConfiguration {
        try await withTemporaryDirectory { directory in
            let path = directory + "/reprise.yaml"
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            return try GatewayConfiguration.load(path: path, environment: ProcessEnvironment(environment), flags: flags)
        }
    }

    /// The error loading `yaml` throws.
    static func loadingError(
        _ yaml: String, environment: [String: String] = [:], flags: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ConfigurationError {
        try await #require(throws: ConfigurationError.self, sourceLocation: sourceLocation) {
            _ = try await load(yaml, environment: environment, flags: flags)
        }
    }

    @Test func fileValuesApply() async throws {
        let configuration = try await Self.load(Self.file)
        #expect(configuration.port == 9090)
        #expect(configuration.maximumBodyBytes == 1 << 20)
        #expect(configuration.upstreamURL == "http://file.example")
        #expect(configuration.upstreamTimeout == .seconds(30))
        #expect(configuration.policy.defaultTimeToLive == .seconds(600))
        #expect(configuration.policy.maximumTimeToLive == .seconds(7200))
        #expect(configuration.shadowMode)
        #expect(configuration.requestLogPath == "/tmp/from-file.jsonl")
        #expect(configuration.logsBodies)
        #expect(configuration.host == "127.0.0.1")
    }

    @Test func environmentOverridesTheFile() async throws {
        let environment = [
            "REPRISE_PORT": "7070", "REPRISE_UPSTREAM": "http://env.example", "REPRISE_DEFAULT_TTL": "90s",
            "REPRISE_SHADOW": "false", "REPRISE_ADMIN_TOKEN": "from-env-0123456789",
        ]
        let configuration = try await Self.load(Self.file, environment: environment)
        #expect(configuration.port == 7070)
        #expect(configuration.upstreamURL == "http://env.example")
        #expect(configuration.policy.defaultTimeToLive == .seconds(90))
        #expect(!configuration.shadowMode)
        #expect(configuration.adminToken == "from-env-0123456789")
        #expect(configuration.upstreamTimeout == .seconds(30))
    }

    @Test func flagsOverrideTheEnvironment() async throws {
        let environment = ["REPRISE_PORT": "7070", "REPRISE_UPSTREAM": "http://env.example"]
        let flags = ["--port", "6060", "--upstream=http://flag.example", "--shadow=false"]
        let configuration = try await Self.load(Self.file, environment: environment, flags: flags)
        #expect(configuration.port == 6060)
        #expect(configuration.upstreamURL == "http://flag.example")
        #expect(!configuration.shadowMode)
    }

    @Test func serverLimitsComeFromTheFileThenTheEnvironment() async throws {
        let yaml = """
            server:
              head_timeout: 5s
              body_timeout: 20s
              idle_timeout: 30s
              max_connections: 64
              shutdown_grace: 3s
            """
        let defaults = GatewayConfiguration()
        #expect(defaults.shutdownGrace == .seconds(10))
        let fromFile = try await Self.load(yaml)
        #expect(fromFile.headReadTimeout == .seconds(5))
        #expect(fromFile.bodyReadTimeout == .seconds(20))
        #expect(fromFile.idleTimeout == .seconds(30))
        #expect(fromFile.maximumConnections == 64)
        #expect(fromFile.shutdownGrace == .seconds(3))
        let environment = ["REPRISE_SHUTDOWN_GRACE": "0s", "REPRISE_IDLE_TIMEOUT": "2m"]
        let fromEnvironment = try await Self.load(yaml, environment: environment)
        #expect(fromEnvironment.shutdownGrace == .zero)
        #expect(fromEnvironment.idleTimeout == .seconds(120))
    }

    @Test func aShutdownGraceThatIsNotADurationIsNamed() async throws {
        let error = try await Self.loadingError("server:\n  shutdown_grace: soon\n")
        #expect(error.message.contains("shutdown_grace"))
        let fromEnvironment = try await Self.loadingError("server:\n  port: 9090\n", environment: ["REPRISE_SHUTDOWN_GRACE": "soon"])
        #expect(fromEnvironment.message.contains("REPRISE_SHUTDOWN_GRACE"))
    }

    @Test func theLogLevelComesFromTheFileThenTheEnvironmentThenTheFlag() async throws {
        #expect(try await Self.load("").logLevel == .info)
        #expect(try await Self.load("server: {log_level: debug}").logLevel == .debug)
        #expect(try await Self.load("server: {log_level: debug}", environment: ["REPRISE_LOG_LEVEL": "WARNING"]).logLevel == .warning)
        let flagged = try await Self.load("server: {log_level: debug}", environment: ["REPRISE_LOG_LEVEL": "warning"], flags: ["--log-level", "error"])
        #expect(flagged.logLevel == .error)
        let wrong = try await Self.loadingError("server: {log_level: loud}")
        #expect(wrong.message.contains("server.log_level") && wrong.message.contains("loud") && wrong.message.contains("trace, debug, info"))
    }

    @Test func unknownAndValuelessFlagsAreRefusedNamingThem() async throws {
        let misspelt = try await Self.loadingError("", flags: ["--prot", "8080"])
        #expect(misspelt.message.contains("--prot") && misspelt.message.contains("did you mean --port?"))
        let valueless = try await Self.loadingError("", flags: ["--port"])
        #expect(valueless.message.contains("--port") && valueless.message.contains("needs a value"))
        let stray = try await Self.loadingError("", flags: ["8080"])
        #expect(stray.message.contains("'8080'") && stray.message.contains("not a flag"))
    }

    @Test func aFileOfCommentsOnlySetsNothing() async throws {
        let configuration = try await Self.load("# server:\n#   port: 9090\n")
        #expect(configuration.port == GatewayConfiguration().port)
        #expect(try await Self.load("").port == GatewayConfiguration().port)
    }

    @Test func unknownKeyIsNamedWithItsLine() async throws {
        let error = try await Self.loadingError("cache:\n  default_ttl: 5m\n  defualt_ttl: 10m\n")
        #expect(error.message.contains("cache.defualt_ttl"))
        #expect(error.message.contains("line 3"))
        #expect(error.message.contains("default_ttl"))
    }

    @Test func unknownTopLevelKeyIsNamed() async throws {
        let error = try await Self.loadingError("server:\n  port: 8081\nupstrem:\n  url: http://x.example\n")
        #expect(error.message.contains("'upstrem'"))
        #expect(error.message.contains("line 3"))
    }

    @Test func ruleWithBothTTLAndBypassIsRefused() async throws {
        let yaml = """
            cache:
              rules:
                - name: confused
                  model: gpt-4o*
                  ttl: 1h
                  bypass: true
            """
        let error = try await Self.loadingError(yaml)
        #expect(error.message.contains("cache.rules[0]"))
        #expect(error.message.contains("exactly one"))
    }

    @Test(arguments: ["soon", "-5", "5 parsecs"])
    func invalidDurationNamesTheKey(_ value: String) async throws {
        let error = try await Self.loadingError("cache:\n  default_ttl: \"\(value)\"\n")
        #expect(error.message.contains("default_ttl"))
    }

    @Test func invalidDurationInTheEnvironmentNamesTheVariable() async throws {
        let error = try await Self.loadingError("server:\n  port: 8081\n", environment: ["REPRISE_DEFAULT_TTL": "soon"])
        #expect(error.message.contains("REPRISE_DEFAULT_TTL"))
        #expect(error.message.contains("soon"))
    }

    @Test func upstreamKeyVariableMustBeSet() async throws {
        let yaml = "upstream:\n  api_key_env: TEST_UPSTREAM_KEY\n"
        let error = try await Self.loadingError(yaml)
        #expect(error.message.contains("upstream.api_key_env"))
        #expect(error.message.contains("TEST_UPSTREAM_KEY"))

        let configuration = try await Self.load(yaml, environment: ["TEST_UPSTREAM_KEY": "sk-from-env"])
        #expect(configuration.upstreamAPIKey == "sk-from-env")
        #expect(!error.message.contains("sk-from-env"))
    }

    @Test func presetsResolve() async throws {
        let yaml = """
            cache:
              presets:
                chatty: 2m
              rules:
                - name: embeddings
                  route: /v1/embeddings
                  preset: static
                - name: agent
                  model: agent-*
                  preset: volatile
                - name: chat
                  preset: chatty
            """
        let rules = try await Self.load(yaml).policy.rules
        #expect(rules.map(\.name) == ["embeddings", "agent", "chat"])
        #expect(rules[0].action == .timeToLive(.seconds(24 * 3600)))
        #expect(rules[1].action == .bypass)
        #expect(rules[2].action == .timeToLive(.seconds(120)))
    }

    @Test func unknownPresetIsNamed() async throws {
        let error = try await Self.loadingError("cache:\n  rules:\n    - preset: forever\n")
        #expect(error.message.contains("cache.rules[0].preset"))
        #expect(error.message.contains("forever"))
    }
}

/// The `upstreams` list in the configuration file.
@Suite struct UpstreamListConfigurationTests {
    static let list = """
        upstreams:
          - name: openai
            provider: openai
            url: https://api.openai.com
          - name: local
            provider: OpenAI
            url: http://127.0.0.1:8000
            models: ["llama-*", "qwen*"]
            api_key_env: LOCAL_KEY
          - name: gemini
            provider: gemini
            url: https://generativelanguage.googleapis.com
        """

    @Test func theListIsReadInOrderWithEachKeyFromItsVariable() async throws {
        let configuration = try await ConfigurationLoadingTests.load(Self.list, environment: ["LOCAL_KEY": "sk-local"])
        #expect(configuration.upstreams.map(\.name) == ["openai", "local", "gemini"])
        #expect(configuration.upstreams[1] == UpstreamSettings(name: "local", provider: "openai", url: "http://127.0.0.1:8000", models: ["llama-*", "qwen*"], apiKey: "sk-local"))
        let effective = configuration.effectiveUpstreams().map(\.name)
        #expect(effective == ["openai", "local", "gemini", "anthropic"], "providers the list does not name keep their defaults")
    }

    @Test func aMissingKeyVariableIsNamed() async throws {
        let error = try await ConfigurationLoadingTests.loadingError(Self.list)
        #expect(error.message.contains("upstreams[1].api_key_env"), "\(error.message)")
        #expect(error.message.contains("LOCAL_KEY"))
    }

    @Test(arguments: [
        ("upstreams:\n  - name: a\n    provider: openai\n    url: http://x\n    modles: [\"x\"]\n", "unknown key 'upstreams[0].modles' on line 5"),
        ("upstreams:\n  - name: a\n    provider: bedrock\n    url: http://x\n", "must be one of openai, anthropic, gemini, azure, got 'bedrock'"),
        ("upstreams:\n  - name: a\n    provider: openai\n    url: http://x\n  - name: a\n    provider: gemini\n    url: http://y\n", "'a' names two upstreams"),
        ("upstreams:\n  - name: a\n    provider: openai\n    url: ftp://x\n", "must be an http or https URL"),
        ("upstreams:\n  - name: a\n    provider: openai\n", "url"),
    ])
    func aWrongEntryIsRefusedSayingWhere(_ yaml: String, _ expected: String) async throws {
        let error = try await ConfigurationLoadingTests.loadingError(yaml)
        #expect(error.message.contains(expected), "\(error.message)")
    }
}
