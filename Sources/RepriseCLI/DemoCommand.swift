import ArgumentParser
import Foundation
import RepriseDemo

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "See the gateway at work offline: a fake provider, realistic traffic, and what caching saved.",
        discussion: "Needs no network and no API key. The fake provider answers in 300–1500 ms, as real ones do.")

    @Option(help: "How many requests to send.")
    var requests = 240

    @Option(help: "The model whose prices the savings are counted at.")
    var model = "gpt-4o"

    func run() async throws {
        guard requests >= 10 else { throw CLIError("--requests must be at least 10, got \(requests).") }
        var options = DemoRunner.Options()
        options.traffic = DemoTraffic(requests: requests, bursts: max(1, requests / 40))
        options.model = model
        let styled = isatty(STDOUT_FILENO) == 1
        print("Reprise demo: a fake OpenAI-compatible provider (300–1500 ms per answer) behind the gateway, on loopback.")
        print("Sending \(options.traffic.requestCount) chat completions about an online shop: popular questions asked often, rare ones once.\n")
        let total = options.traffic.requestCount
        let report = try await DemoRunner(options: options).run { done in
            guard styled else { return }
            let width = 40
            let filled = width * done / max(total, 1)
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            FileHandle.standardError.write(Data("\r  \(bar) \(done)/\(total)".utf8))
        }
        if styled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        print(report.rendered(styled: styled))
    }
}
