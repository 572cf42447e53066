import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Prometheus
import Reprise
import RepriseGateway
import RepriseSemantic

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the caching gateway in front of an OpenAI-compatible API.",
        discussion: """
            Settings come from defaults, then --config (or REPRISE_CONFIG), then REPRISE_* environment \
            variables, then these flags. See docs/configuration.md.
            """)

    @Option(help: "Address to listen on (default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (default 8080; 0 picks a free port).")
    var port: Int?

    @Option(help: "OpenAI-compatible upstream base URL, when the configuration's upstreams list no OpenAI one (default https://api.openai.com, or REPRISE_UPSTREAM).")
    var upstream: String?

    @Option(help: "Anthropic upstream base URL, when the configuration's upstreams list no Anthropic one (default https://api.anthropic.com, or REPRISE_ANTHROPIC_UPSTREAM).")
    var anthropicUpstream: String?

    @Option(help: "YAML or JSON configuration file.")
    var config: String?

    @Flag(help: "Look up and record what the cache would serve, but always answer from upstream.")
    var shadow = false

    @Option(help: "Write the JSONL request log to this file.")
    var requestLog: String?

    @Option(help: "Directory for the gateway's state (the generated server secret).")
    var stateDir: String?

    @Option(help: "Where entries live: memory, sqlite:///path/cache.db, memcached://host:port[,host:port…], redis://host:port, redis+cluster://host:port,… (or REPRISE_STORE).")
    var store: String?

    @Flag(help: "Load the embedding model and match similar requests where rules or X-Reprise-Semantic allow it (or REPRISE_SEMANTIC).")
    var semantic = false

    @Option(help: "The built-in embedding model: \(BuiltInModel.names) (default: \(BuiltInModel.default.name), or REPRISE_BUILTIN_MODEL).")
    var builtinModel: String?

    @Option(help: "Where the built-in embedding model is installed (default: <state directory>/models/<model>, or REPRISE_MODEL_DIR).")
    var modelDirectory: String?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        // Swift Concurrency's jobs then run on the event loops that do the network I/O, and each request on
        // its own connection's loop, so it does not hop between threads (docs/benchmarks.md).
        EventLoopAffinity.install()
        var overrides = GatewayConfiguration.Overrides(
            host: host, port: port, upstreamURL: upstream, shadowMode: shadow ? true : nil, requestLogPath: requestLog,
            stateDirectory: stateDir, anthropicUpstreamURL: anthropicUpstream, store: store)
        overrides.semantic = semantic ? true : nil
        overrides.semanticModelDirectory = modelDirectory
        overrides.semanticBuiltInModel = builtinModel
        let configuration: GatewayConfiguration
        do {
            configuration = try GatewayConfiguration.load(path: config, overrides: overrides)
        } catch let error as ConfigurationError {
            throw CLIError(error.message)
        }
        var logger = Logger(label: "reprise")
        logger.logLevel = logLevel
        let startupLogger = logger
        do {
            let table = upstreamRoutingTable(configuration: configuration)
            FileHandle.standardOutput.write(Data(
                "Upstreams (a request goes to the first of its provider's upstreams whose models match its model, else to the one without models):\n\(table)\n".utf8))
            try await GatewayServer.run(configuration: configuration, logger: logger) { port in
                startupLogger.notice(
                    "Reprise gateway listening",
                    metadata: [
                        "Reprise.address": "http://\(configuration.host):\(port)",
                        "Reprise.shadow": "\(configuration.shadowMode)",
                        "Reprise.store": "\(configuration.store)",
                        "Reprise.semantic": "\(configuration.semantic.isEnabled)",
                    ])
            }
        } catch let error as ConfigurationError {
            throw CLIError(error.message)
        } catch let error as CacheStoreError {
            throw CLIError(error.message)
        }
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
