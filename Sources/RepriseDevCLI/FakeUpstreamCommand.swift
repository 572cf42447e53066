import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Reprise
import RepriseGateway
import RepriseTesting

/// Runs the fake upstream (every provider's shape), for conformance tests and benchmarks.
struct FakeUpstreamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fake-upstream",
        abstract: "Run a fake LLM API (OpenAI, Anthropic, Gemini, Azure shapes) on loopback, for tests and benchmarks.")

    @Option(help: "Port to listen on (0 picks a free port, printed on standard output).")
    var port = 0

    @Option(help: "Latency added to every answer, such as 300ms.")
    var latency = "0ms"

    func run() async throws {
        guard let delay = DurationText.parse(latency) else { throw ValidationError("--latency must be a duration such as 300ms, got '\(latency)'.") }
        let upstream = FakeUpstream(behavior: FakeUpstreamBehavior(latency: delay))
        var logger = Logger(label: "reprise.fake-upstream")
        logger.logLevel = .warning
        let app = upstream.application(port: port, logger: logger) { port in
            FileHandle.standardOutput.write(Data("fake upstream listening on http://127.0.0.1:\(port)\n".utf8))
        }
        // A test's stopped fake must not wait for the ten-minute answers it was asked to be slow with.
        try await GracefulShutdown.run(app, grace: .seconds(1), logger: logger)
    }
}
