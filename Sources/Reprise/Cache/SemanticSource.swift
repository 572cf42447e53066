/// What the semantic cache keeps with an entry it indexed, so that any replica (or the same gateway after a
/// restart) can check a candidate match on its own: the scope it was stored under, the text that was
/// embedded, and the embedding.
public struct SemanticSource: Sendable, Hashable, Codable {
    /// The context fingerprint of the request that stored the entry: everything but its last user turn.
    public var scope: String
    /// The last user turn's text, which the embedding was computed from.
    public var text: String
    /// The L2-normalised embedding of ``text``.
    public var vector: [Float]

    public init(scope: String, text: String, vector: [Float]) {
        self.scope = scope
        self.text = text
        self.vector = vector
    }

    /// The memory the source takes, for stores bounded by bytes.
    public var approximateSize: Int { scope.utf8.count + text.utf8.count + vector.count * MemoryLayout<Float>.size + 32 }
}
