import ArgumentParser
import Foundation
import Reprise
import RepriseSemantic
import RepriseSemanticRemote

/// `reprise eval-semantic PAIRS.jsonl…`: measures semantic matching on labelled pairs.
struct EvalSemanticCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-semantic",
        abstract: "Measure semantic matching on labelled pairs: precision, recall, F1 and false-hit rate per threshold.",
        discussion: """
            Each file holds JSON lines {"a": TEXT, "b": TEXT, "same": BOOL}. Pairs are embedded with the built-in \
            model ('reprise model pull' installs it), or with an OpenAI-compatible embeddings endpoint \
            (--embeddings-url and --embeddings-model, as the gateway's remote embedder), and scored at thresholds \
            0.70 to 0.99, without and with the guards. The false-hit rate is the share of different-meaning pairs \
            that would be served as a hit. The report then compares with GPTCache's default, 0.8 without guards \
            (run with another built-in model with --gptcache-model), at its recall or more, and shows what each guard \
            costs by leaving it off in turn.
            """)

    @Argument(help: "Pairs files (JSON lines).") var files: [String]
    @OptionGroup(title: "The built-in embedding model") var builtInModel: BuiltInModelOptions
    @Option(help: "Embed with an OpenAI-compatible endpoint instead of the built-in model: its base URL (https://api.openai.com, http://127.0.0.1:8080).")
    var embeddingsURL: String?
    @Option(help: "The model to ask that endpoint for (text-embedding-3-small); required with --embeddings-url.") var embeddingsModel: String?
    @Option(help: "The environment variable holding that endpoint's API key.") var embeddingsKeyEnv: String?
    @Option(help: "Seconds one embeddings request may take (a local server on a CPU may need minutes).") var embeddingsTimeout: Double = 30
    @Option(help: ArgumentHelp(
        "The built-in model that stands for GPTCache's embedder in the GPTCache comparison (default: the model evaluated).",
        discussion: "The pairs are embedded with it too, and its 0.8-without-guards row is the one compared with."))
    var gptcacheModel: String?
    @Option(help: "Where that model is installed (default: <state directory>/models/<model>).") var gptcacheModelsDirectory: String?
    @Option(help: "A guard to leave off (numbers, negation, quotes, code, entities); repeatable.") var disableGuard: [String] = []
    @Option(help: "The false-hit rate the recommended threshold must stay under.") var maximumFalseHitRate = 0.01
    @Flag(help: "Print JSON instead of text.") var json = false

    func validate() throws {
        if embeddingsURL == nil, embeddingsModel != nil || embeddingsKeyEnv != nil {
            throw ValidationError("--embeddings-model and --embeddings-key-env go with --embeddings-url.")
        }
        guard embeddingsTimeout > 0, embeddingsTimeout <= 86_400 else {
            throw ValidationError("--embeddings-timeout must be a number of seconds above 0 and at most 86400 (a day), got \(embeddingsTimeout).")
        }
        if embeddingsURL != nil, embeddingsModel == nil {
            throw ValidationError("--embeddings-url needs --embeddings-model, the model to ask the endpoint for (text-embedding-3-small).")
        }
        _ = try builtInModel.model()
        if let gptcacheModel { _ = try BuiltInModel.parse(gptcacheModel, option: "--gptcache-model") }
        if embeddingsURL != nil, BuiltInModel.named(builtInModel.builtinModel) != .default || builtInModel.modelsDirectory != nil {
            throw ValidationError("--builtin-model and --models-directory choose the built-in model; leave them out with --embeddings-url.")
        }
    }

    func run() async throws {
        var guards = SemanticGuards()
        for name in disableGuard {
            guard let known = SemanticGuard(rawValue: name) else {
                throw CLIError("--disable-guard names '\(name)'; use one of \(SemanticGuard.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            guards.enabled.remove(known)
        }
        let (embedder, concurrency) = try await makeEmbedder()
        let baseline = try gptcacheModel.map { name in
            let model = try BuiltInModel.parse(name, option: "--gptcache-model")
            return try BuiltInModelOptions.load(model, from: gptcacheModelsDirectory ?? ModelInstaller.defaultDirectory(for: model))
        }
        var reports: [JSONValue] = []
        for file in files {
            let pairs: [LabeledPair]
            switch Result(catching: { () throws(ConfigurationError) in try LabeledPair.load(contentsOf: file) }) {
            case .success(let loaded): pairs = loaded
            case .failure(let error): throw CLIError(error.message)
            }
            let scored: [SemanticEvaluation.Scored]
            do {
                scored = try await SemanticEvaluation.score(pairs, embedder: embedder, guards: guards, concurrency: concurrency)
            } catch let error as RemoteEmbedderError {
                throw CLIError(error.message)
            }
            var report = EvaluationReport(file: file, pairs: pairs, evaluation: SemanticEvaluation(scored: scored), maximumFalseHitRate: maximumFalseHitRate)
            if let baseline {
                let baselineScores = try await SemanticEvaluation.score(
                    pairs, embedder: baseline, guards: guards, concurrency: ProcessInfo.processInfo.activeProcessorCount)
                report.gptCache = EvaluationReport.Baseline(model: baseline.model.name, evaluation: SemanticEvaluation(scored: baselineScores))
            }
            if json {
                reports.append(report.json)
            } else {
                print(report.text)
            }
        }
        if json { print(JSONValue.array(reports).canonicalText) }
    }

    /// The built-in model, or the remote endpoint when `--embeddings-url` is given (probed once, so a wrong
    /// URL, key or model fails before any pair is read), with how many batches to embed at once: one per core
    /// for the built-in model, one at a time for an endpoint.
    private func makeEmbedder() async throws -> (any Embedder, concurrency: Int) {
        if let url = embeddingsURL, let model = embeddingsModel {
            var configuration = RemoteEmbedderConfiguration(baseURL: url, model: model, timeout: .milliseconds(Int64(embeddingsTimeout * 1000)))
            if let variable = embeddingsKeyEnv {
                guard let key = ProcessInfo.processInfo.environment[variable], !key.isEmpty else {
                    throw CLIError("--embeddings-key-env names \(variable), which is not set; export the endpoint's API key in it.")
                }
                configuration.apiKey = key
            }
            do {
                return (try await RemoteEmbedder.connect(configuration: configuration), 1)
            } catch {
                throw CLIError(error.message)
            }
        }
        return (try builtInModel.load(), ProcessInfo.processInfo.activeProcessorCount)
    }
}
