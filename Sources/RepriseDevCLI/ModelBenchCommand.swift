import ArgumentParser
import Foundation
import Reprise
import RepriseBenchmarking
import RepriseSemantic

/// `reprise-dev bench-model`: the built-in embedding model's speed and the vector indexes' on this machine.
struct ModelBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-model",
        abstract: "Measure the installed embedding model on this machine: latency of a short text, throughput of batches.",
        discussion: """
            Runs on one thread; pin it to one core with 'taskset -c 0' for single-core figures. Then compares exact \
            and HNSW vector search on random unit vectors of the model's dimension: build time, search time and \
            recall of HNSW against the exact answers, on uniform and on low-rank (sentence-embedding-like) vectors.
            """)

    @Argument(help: "The model: \(BuiltInModel.names).") var model = BuiltInModel.default.name
    @Option(help: "Where it is installed (default: <state directory>/models/<model>).") var modelsDirectory: String?
    @Option(help: "Single-text runs for the latency figure.") var runs = 200
    @Option(help: "Texts per batch for the throughput figure.") var batchSize = 32
    @Option(help: "Batches for the throughput figure.") var batches = 10
    @Option(help: "Entries in the vector indexes whose build and search are measured (0 to skip).") var indexEntries = 100_000
    @Option(help: "Queries for the vector index figures.") var indexQueries = 200
    @Flag(help: "Measure the vector indexes only (of the model's dimensions), without the model.") var indexOnly = false
    @Option(help: ArgumentHelp(
        "A pairs file (JSON Lines with \"a\" and \"b\"): also compare the indexes on the model's embeddings of its texts; repeatable.",
        discussion: """
            The "b" texts of the first --index-queries pairs of the first file are the queries; up to --index-entries \
            other distinct texts of all the files (their "a" texts included) are stored.
            """))
    var indexPairs: [String] = []

    func run() throws {
        guard let model = BuiltInModel.named(self.model) else {
            throw ValidationError("The model must be \(BuiltInModel.names), got '\(self.model)'.")
        }
        let directory = modelsDirectory ?? ModelInstaller.defaultDirectory(for: model)
        var dimension = model.dimension
        var embedder: BuiltInEmbedder?
        if !indexOnly {
            let loaded: BuiltInEmbedder
            switch Result(catching: { () throws(SemanticModelError) in try BuiltInEmbedder(model: model, modelDirectory: directory) }) {
            case .success(let embedder): loaded = embedder
            case .failure(let error): throw ValidationError(error.message)
            }
            embedder = loaded
            dimension = loaded.dimension
            let result = EmbedderBenchmark(embedder: loaded).run(runs: max(runs, 1), batchSize: max(batchSize, 1), batches: max(batches, 1))
            print("latency, \(result.tokens)-token text: median \(format(result.medianMilliseconds)) ms, p90 \(format(result.p90Milliseconds)) ms")
            print("throughput, batches of \(result.batchSize) (\(result.batchTokens) tokens each): \(format(result.textsPerSecond)) texts/s")
        }
        guard indexEntries > 0 else { return }
        for distribution in VectorIndexBenchmark.Distribution.allCases {
            let comparison = VectorIndexBenchmark().compare(
                entries: indexEntries, dimension: dimension, distribution: distribution, queries: max(indexQueries, 1))
            printComparison(comparison, of: "\(distribution.rawValue) random vectors")
        }
        if !indexPairs.isEmpty {
            guard let embedder else { throw ValidationError("--index-pairs needs the model; leave out --index-only.") }
            let (stored, queries) = try embedPairs(indexPairs, with: embedder)
            let names = indexPairs.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ")
            printComparison(VectorIndexBenchmark().compare(stored: stored, queries: queries), of: "embeddings of texts of \(names)")
        }
    }

    /// The model's vectors of the queries (the first `b` texts of the first file) and of up to `indexEntries`
    /// other distinct texts of all the files (stored).
    private func embedPairs(_ paths: [String], with embedder: BuiltInEmbedder) throws -> (stored: [[Float]], queries: [[Float]]) {
        var files: [[LabeledPair]] = []
        for path in paths {
            switch Result(catching: { () throws(ConfigurationError) in try LabeledPair.load(contentsOf: path) }) {
            case .success(let pairs): files.append(pairs)
            case .failure(let error): throw ValidationError(error.message)
            }
        }
        let questions = Array(files[0].prefix(max(indexQueries, 1)).map(\.b))
        var seen = Set(questions)
        let texts = files.joined().flatMap { [$0.a, $0.b] }.filter { seen.insert($0).inserted }.prefix(indexEntries)
        guard !texts.isEmpty, !questions.isEmpty else { throw ValidationError("Pairs file '\(paths[0])' holds no pairs.") }
        FileHandle.standardError.write(Data("embedding \(texts.count + questions.count) texts...\n".utf8))
        return (embedder.embedNow(Array(texts)), embedder.embedNow(questions))
    }

    private func printComparison(_ comparison: VectorIndexBenchmark.Comparison, of vectors: String) {
        let parameters = comparison.parameters
        print("vector index, \(comparison.entries) \(vectors), \(comparison.dimension) dimensions, top 10:")
        print("  exact: build \(format(comparison.exactBuildSeconds)) s, search median \(format(comparison.exactMedianMilliseconds)) ms, p90 \(format(comparison.exactP90Milliseconds)) ms")
        print("  HNSW (neighbours \(parameters.neighbours), construction breadth \(parameters.constructionBreadth)): build \(format(comparison.graphBuildSeconds)) s")
        for search in comparison.searches {
            print(
                "    search breadth \(search.searchBreadth): median \(format(search.medianMilliseconds)) ms, p90 \(format(search.p90Milliseconds)) ms, "
                    + "recall@1 \(format(search.recallAtOne)), recall@10 \(format(search.recallAtTen))")
        }
    }

    /// Two decimals are plenty for milliseconds, seconds, shares and texts per second.
    private func format(_ value: Double) -> String {
        String((value * 100).rounded() / 100)
    }
}
