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
import RepriseServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the caching gateway in front of an OpenAI-compatible API.",
        usage: "reprise serve [--config <file>] [<setting flags>]",
        discussion: """
            Settings come from defaults, then --config (or REPRISE_CONFIG), then REPRISE_* environment \
            variables, then these flags. See docs/configuration.md for every setting.

            SETTING FLAGS:
            \(SettingsReference.flagHelp)
            """)

    @Option(help: "YAML or JSON configuration file.")
    var config: String?

    /// The setting flags (`--port 8080`, `--shadow`, …), read by the settings' declarations.
    @Argument(parsing: .allUnrecognized, help: .hidden)
    var settingFlags: [String] = []

    func run() async throws {
        // Swift Concurrency's jobs then run on the event loops that do the network I/O, and each request on
        // its own connection's loop, so it does not hop between threads (docs/benchmarks.md).
        EventLoopAffinity.install()
        let configuration: GatewayConfiguration
        do {
            configuration = try SettingsLoader.load(path: config, flags: settingFlags)
        } catch let error as ConfigurationError {
            throw CLIError(error.message)
        }
        var logger = Logger(label: "reprise")
        logger.logLevel = configuration.logLevel
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

