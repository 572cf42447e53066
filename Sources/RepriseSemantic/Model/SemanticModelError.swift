/// A model file that is missing, unreadable or not what the embedder expects.
///
/// The message names the file (and the tensor, for weights) and says what to do.
public struct SemanticModelError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case missingFile
        case corruptFile
        case missingTensor
        case download
    }

    private let code: Code
    /// A sentence naming the file and the problem, ending with what to do.
    public let message: String
    /// What is wrong with the file, without the file's name or the remedy; for wrapping in another message.
    let problem: String
    /// The model file at fault, when there is one.
    let path: String?

    public var description: String { message }

    private init(_ code: Code, _ message: String, problem: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.problem = problem
        self.path = path
    }

    static let remedy = "Run 'reprise model pull' (or 'reprise model pull --from PATH') to install the model again."

    /// A model file does not exist.
    public static func missingFile(_ path: String) -> SemanticModelError {
        SemanticModelError(.missingFile, "Model file '\(path)' does not exist. \(remedy)", problem: "it does not exist", path: path)
    }

    /// A model file exists but cannot be used.
    public static func corruptFile(_ path: String, reason: String) -> SemanticModelError {
        SemanticModelError(.corruptFile, "Model file '\(path)' is corrupt: \(reason). \(remedy)", problem: reason, path: path)
    }

    /// The weights file lacks a tensor the encoder needs, or has it with another type or shape.
    public static func badTensor(_ name: String, in path: String, reason: String) -> SemanticModelError {
        SemanticModelError(.missingTensor, "Model file '\(path)': tensor '\(name)' \(reason). \(remedy)", problem: "tensor '\(name)' \(reason)", path: path)
    }

    /// Fetching a model file failed.
    public static func download(_ url: String, reason: String) -> SemanticModelError {
        SemanticModelError(
            .download,
            "Downloading '\(url)' failed: \(reason). Check the network or the hub URL (--hub-url), or install from a local copy with 'reprise model pull --from PATH'.",
            problem: reason)
    }

    /// A file about to be installed (from `origin`: a URL, a path or an archive member) failed verification;
    /// nothing was installed.
    public static func corruptSource(_ origin: String, reason: String, directory: String) -> SemanticModelError {
        SemanticModelError(
            .corruptFile,
            "Model file '\(origin)' is corrupt: \(reason). Nothing was installed in '\(directory)'; a model already there is unchanged. Pull from another source: 'reprise model pull' (--hub-url for a mirror) or 'reprise model pull --from PATH'.",
            problem: reason)
    }
}
