import ArgumentParser
import Foundation
import Reprise
import RepriseAnalysis
import RepriseSemantic

struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Measure how repetitive LLM usage logs are and what caching would save.",
        discussion: """
            Reads Reprise's request log, OpenAI-style JSONL, OpenAI Batch input, LiteLLM or Helicone exports, CSV \
            with a header, and token-count traces; gzip is read transparently. The format is detected per file.
            """)

    @Argument(help: "Log files, read in the order given.") var files: [String]
    @Option(help: "Force the format: \(UsageLogFormat.allCases.map(\.rawValue).joined(separator: ", ")).") var format: String?
    @Option(help: "A price file merged over the built-in prices.") var prices: String?
    @Option(help: "The model to price records that name none (token-count traces), such as gpt-4o-mini.") var model: String?
    @Flag(help: "Print the report as JSON (a stable schema, schema_version 1).") var json = false
    @Flag(help: "Print the report as GitHub-flavoured Markdown.") var markdown = false
    @Option(help: ArgumentHelp("Also write the report as one self-contained HTML page with charts to this file.", valueName: "file"))
    var html: String?
    @Option(name: .customLong("ft-examples"), help: "Fine-tuning: the most training examples (distinct prompts of the log).") var fineTuningExamples = 1000
    @Option(name: .customLong("ft-epochs"), help: "Fine-tuning: training epochs.") var fineTuningEpochs = 3
    @Option(name: .customLong("ft-training-price"), help: "Fine-tuning: dollars per million training tokens (default: the list price for the log's main model).")
    var fineTuningTrainingPrice: Double?
    @Option(name: .customLong("ft-input-price"), help: "Fine-tuned model's input price per million tokens (default: its list price).") var fineTunedInputPrice: Double?
    @Option(name: .customLong("ft-output-price"), help: "Fine-tuned model's output price per million tokens (default: its list price).") var fineTunedOutputPrice: Double?
    @Option(name: .customLong("ft-setup-cost"), help: "Fine-tuning: one-off cost of building and evaluating it, in dollars.") var fineTuningSetupCost = 2000.0

    @Flag(help: "Also measure near-duplicates with the built-in embedding model (install it with 'reprise model pull'), on a sample of prompts.")
    var semantic = false
    @Option(help: "Semantic matching: the similarity from which two prompts share an answer.") var semanticThreshold = 0.9
    @Option(help: "Semantic matching: how many distinct prompts to sample (each is embedded, a few milliseconds apiece).") var semanticSample = 2000
    @Flag(help: "Semantic matching: without the guards (numbers, negation, quotes, code, names), to see what they prevent.") var noGuards = false
    @OptionGroup(title: "Semantic matching's embedding model") var builtInModel: BuiltInModelOptions

    func validate() throws {
        guard (0...1).contains(semanticThreshold) else { throw ValidationError("--semantic-threshold must be between 0 and 1, got \(semanticThreshold).") }
        guard semanticSample > 0 else { throw ValidationError("--semantic-sample must be positive, got \(semanticSample).") }
        guard !(json && markdown) else { throw ValidationError("--json and --markdown both choose what is printed; give one of them (--html combines with either).") }
        if let html {
            guard !html.isEmpty else { throw ValidationError("--html needs a file name, such as --html report.html.") }
            // Said before the log is read, which can take a while, rather than after.
            if let problem = Self.unwritable(html) { throw ValidationError("Cannot write the HTML report to '\(html)': \(problem). Give --html a path in a writable directory.") }
        }
        guard fineTuningExamples > 0 else { throw ValidationError("--ft-examples must be positive, got \(fineTuningExamples).") }
        guard fineTuningEpochs > 0 else { throw ValidationError("--ft-epochs must be positive, got \(fineTuningEpochs).") }
        for (name, value) in [("--ft-training-price", fineTuningTrainingPrice), ("--ft-input-price", fineTunedInputPrice),
                              ("--ft-output-price", fineTunedOutputPrice), ("--ft-setup-cost", fineTuningSetupCost)] {
            if let value, !(value >= 0) { throw ValidationError("\(name) must not be negative, got \(value).") }
        }
    }

    var fineTuningAssumptions: FineTuningAssumptions {
        var assumptions = FineTuningAssumptions()
        assumptions.maximumExamples = fineTuningExamples
        assumptions.epochs = fineTuningEpochs
        assumptions.trainingPricePerMillion = fineTuningTrainingPrice
        assumptions.inputPricePerMillion = fineTunedInputPrice
        assumptions.outputPricePerMillion = fineTunedOutputPrice
        assumptions.setupCost = fineTuningSetupCost
        return assumptions
    }

    func run() async throws {
        let forced = try UsageLogFormat.forced(by: format)
        // The model is loaded before the log is read, so a missing model fails at once.
        var embedder: BuiltInEmbedder?
        if semantic {
            do {
                embedder = try builtInModel.load()
            } catch {
                throw CLIError("--semantic needs the embedding model. \(error)")
            }
        }
        let table: PriceTable
        do {
            table = try prices.map { PriceTable.builtIn.merging(try PriceTable.load(contentsOf: $0)) } ?? .builtIn
        } catch let error as ConfigurationError {
            throw CLIError(error.message)
        }
        var reader = UsageLogReader(paths: files, format: forced)
        var analyzer = UsageAnalyzer(prices: table)
        analyzer.assumedModel = model
        if semantic { analyzer.nearDuplicates = NearDuplicateSample(capacity: semanticSample) }
        let progress = TerminalProgress()
        defer { progress.finish() }
        do {
            try reader.forEach(progress: progress.update) { analyzer.add($0) }
            try reader.summary.requireMostlyReadable()
        } catch let error as UsageLogError {
            progress.finish()
            throw CLIError(error.message)
        }
        let shown = progress.isShown
        progress.finish()
        let summary = reader.summary
        for problem in summary.problems {
            FileHandle.standardError.write(Data("reprise: skipped \(problem)\n".utf8))
        }
        if summary.skippedEntries > summary.problems.count {
            FileHandle.standardError.write(Data("reprise: \(summary.skippedEntries) entries skipped in all.\n".utf8))
        }
        if shown { FileHandle.standardError.write(Data("Replaying \(summary.records) requests through the simulated caches…".utf8)) }
        var report = AnalysisReport(analyzer, fineTuning: fineTuningAssumptions)
        if shown { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        if let embedder, let sample = analyzer.nearDuplicates {
            let interactive = isatty(STDERR_FILENO) == 1
            report.nearDuplicates = try await NearDuplicateReport(
                sample: sample, embedder: embedder, threshold: semanticThreshold, guards: noGuards ? .none : SemanticGuards(),
                progress: { done, total in
                    if interactive { FileHandle.standardError.write(Data("\r\u{1B}[2KEmbedding prompts for near-duplicates: \(done) of \(total)".utf8)) }
                })
            if interactive { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        }
        if let html { try write(HTMLReport(report).rendered, to: html) }
        if json {
            print(report.json.canonicalText)
        } else if markdown {
            print(MarkdownReport(report).rendered, terminator: "")
        } else {
            print(TextReport(report, styled: isatty(STDOUT_FILENO) == 1).rendered)
        }
    }

    /// Writes the HTML page, replacing any file at `path`, and says so on stderr.
    private func write(_ page: String, to path: String) throws {
        do {
            try Data(page.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIError("Cannot write the HTML report to '\(path)': \(Self.unwritable(path) ?? error.localizedDescription). Give --html a path in a writable directory.")
        }
        FileHandle.standardError.write(Data("reprise: wrote the HTML report to \(path)\n".utf8))
    }

    /// Why `path` cannot be written, in words; `nil` when nothing visible stands in the way.
    private static func unwritable(_ path: String) -> String? {
        let files = FileManager.default
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return "it is a directory" }
        if !files.fileExists(atPath: directory, isDirectory: &isDirectory) { return "the directory '\(directory)' does not exist" }
        if !isDirectory.boolValue { return "'\(directory)' is not a directory" }
        if !files.isWritableFile(atPath: directory) { return "the directory '\(directory)' is not writable" }
        return nil
    }
}
