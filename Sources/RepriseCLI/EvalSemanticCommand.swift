import ArgumentParser
import Reprise
import RepriseSemantic

/// `reprise eval-semantic PAIRS.jsonl…`: measures semantic matching on labelled pairs.
struct EvalSemanticCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-semantic",
        abstract: "Measure semantic matching on labelled pairs: precision, recall, F1 and false-hit rate per threshold.",
        discussion: """
            Each file holds JSON lines {"a": TEXT, "b": TEXT, "same": BOOL}. Pairs are embedded with the built-in \
            model ('reprise model pull' installs it) and scored at thresholds 0.70 to 0.99, without and with the \
            guards. The false-hit rate is the share of different-meaning pairs that would be served as a hit.
            """)

    @Argument(help: "Pairs files (JSON lines).") var files: [String]
    @Option(help: "The installed model (default: <state directory>/models/all-MiniLM-L6-v2).") var modelsDirectory: String?
    @Option(help: "A guard to leave off (numbers, negation, quotes, code, entities); repeatable.") var disableGuard: [String] = []
    @Option(help: "The false-hit rate the recommended threshold must stay under.") var maximumFalseHitRate = 0.01
    @Flag(help: "Print JSON instead of text.") var json = false

    func run() async throws {
        var guards = SemanticGuards()
        for name in disableGuard {
            guard let known = SemanticGuard(rawValue: name) else {
                throw CLIError("--disable-guard names '\(name)'; use one of \(SemanticGuard.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            guards.enabled.remove(known)
        }
        let directory = modelsDirectory ?? ModelInstaller.defaultDirectory()
        let embedder: MiniLMEmbedder
        switch Result(catching: { () throws(SemanticModelError) in try MiniLMEmbedder(modelDirectory: directory) }) {
        case .success(let loaded): embedder = loaded
        case .failure(let error): throw CLIError(error.message)
        }
        var reports: [JSONValue] = []
        for file in files {
            let pairs: [LabeledPair]
            switch Result(catching: { () throws(ConfigurationError) in try LabeledPair.load(contentsOf: file) }) {
            case .success(let loaded): pairs = loaded
            case .failure(let error): throw CLIError(error.message)
            }
            let evaluation = SemanticEvaluation(scored: try await SemanticEvaluation.score(pairs, embedder: embedder, guards: guards))
            let report = EvaluationReport(file: file, pairs: pairs, evaluation: evaluation, maximumFalseHitRate: maximumFalseHitRate)
            if json {
                reports.append(report.json)
            } else {
                print(report.text)
            }
        }
        if json { print(JSONValue.array(reports).canonicalText) }
    }
}
