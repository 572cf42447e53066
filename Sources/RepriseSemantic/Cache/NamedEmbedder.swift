
/// An embedder with the name its vectors are filed under: vectors of differently named embedders are never
/// compared, so changing the model (or the remote model's dimensions) starts the semantic index afresh
/// instead of matching nonsense.
public struct NamedEmbedder: Sendable {
    public var embedder: any Embedder
    /// Such as `all-MiniLM-L6-v2` or `remote:text-embedding-3-small:512`.
    public var name: String

    public init(_ embedder: any Embedder, name: String) {
        self.embedder = embedder
        self.name = name
    }
}
