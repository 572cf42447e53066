/// A sentence-embedding model Reprise runs itself, in its own process on the CPU: its name, where the Hugging Face
/// hub keeps it, how its tokenizer marks sequences and how long they may be, and its encoder's shape.
///
/// - all-MiniLM-L6-v2, the default: 384 dimensions, six layers, fast (a short text in a few milliseconds on
///   one core).
/// - all-mpnet-base-v2: 768 dimensions, twelve layers; about seven times the work per text, and more precise
///   at telling paraphrases from near misses (see `docs/semantic-cache.md`).
public struct BuiltInModel: Sendable, Hashable, CustomStringConvertible {
    /// The model's name on the hub, in configuration and on the command line, and the folder it is installed into.
    public let name: String
    /// `<owner>/<name>` on the Hugging Face hub.
    public let hubRepository: String
    /// Texts are cut to this many tokens, the classifier and separator included, as sentence-transformers does.
    public let maximumTokens: Int
    public let specialTokens: SpecialTokens
    let architecture: EncoderArchitecture

    /// The length of the model's vectors.
    public var dimension: Int { architecture.hidden }
    public var description: String { name }

    public static let miniLM = BuiltInModel(
        name: "all-MiniLM-L6-v2", hubRepository: "sentence-transformers/all-MiniLM-L6-v2", maximumTokens: 256, specialTokens: .bert,
        architecture: .miniLM)

    public static let mpnet = BuiltInModel(
        name: "all-mpnet-base-v2", hubRepository: "sentence-transformers/all-mpnet-base-v2", maximumTokens: 384, specialTokens: .mpnet,
        architecture: .mpnetBase)

    /// Every built-in model, the default first.
    public static let all = [miniLM, mpnet]
    public static let `default` = miniLM

    /// The built-in model called `name` (case-insensitively), or `nil`.
    public static func named(_ name: String) -> BuiltInModel? {
        all.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The names, for messages: "all-MiniLM-L6-v2 or all-mpnet-base-v2".
    public static var names: String {
        all.map(\.name).joined(separator: " or ")
    }
}
