import ArgumentParser
import RepriseSemantic

/// `--builtin-model` and `--models-directory`: which built-in embedding model a command loads, and from where.
struct BuiltInModelOptions: ParsableArguments {
    @Option(help: "The built-in embedding model: \(BuiltInModel.names).")
    var builtinModel = BuiltInModel.default.name

    @Option(help: "Where that model is installed (default: <state directory>/models/<model>).")
    var modelsDirectory: String?

    /// The model `--builtin-model` names.
    func model() throws -> BuiltInModel {
        try BuiltInModel.parse(builtinModel, option: "--builtin-model")
    }

    /// The directory the model is loaded from.
    func directory(of model: BuiltInModel) -> String {
        modelsDirectory ?? ModelInstaller.defaultDirectory(for: model)
    }

    /// Loads the model, failing with the model error's message (which names the file and says what to do).
    func load() throws -> BuiltInEmbedder {
        let model = try model()
        return try Self.load(model, from: directory(of: model))
    }

    /// Loads `model` from `directory`, failing with the model error's message.
    static func load(_ model: BuiltInModel, from directory: String) throws -> BuiltInEmbedder {
        switch Result(catching: { () throws(SemanticModelError) in try BuiltInEmbedder(model: model, modelDirectory: directory) }) {
        case .success(let embedder): return embedder
        case .failure(let error): throw CLIError(error.message)
        }
    }
}

extension BuiltInModel {
    /// The built-in model called `name`, or a CLI error listing the names.
    static func parse(_ name: String, option: String) throws -> BuiltInModel {
        guard let model = named(name) else { throw CLIError("\(option) must be \(names), got '\(name)'.") }
        return model
    }
}

/// `MODEL` and `--models-directory` of `reprise model pull` and `reprise model bench`: the built-in model named
/// as an argument, and where it is (or goes) installed.
struct ModelArguments: ParsableArguments {
    @Argument(help: "The model: \(BuiltInModel.names).")
    var model = BuiltInModel.default.name

    @Option(help: "Where it is installed (default: <state directory>/models/<model>).")
    var modelsDirectory: String?

    /// The model named and its directory.
    func resolved() throws -> (model: BuiltInModel, directory: String) {
        let model = try BuiltInModel.parse(model, option: "The model")
        return (model, modelsDirectory ?? ModelInstaller.defaultDirectory(for: model))
    }
}
