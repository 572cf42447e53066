/// A key's similarity to a query vector.
public struct VectorMatch: Sendable, Hashable {
    /// The key the vector was inserted under (a cache key).
    public var key: String
    /// Cosine similarity, from −1 to 1.
    public var similarity: Float

    public init(key: String, similarity: Float) {
        self.key = key
        self.similarity = similarity
    }
}

/// Finds the stored vectors most similar to a query: the semantic cache's lookup within one scope.
///
/// Vectors are L2-normalised (as every ``Embedder`` returns them), so similarity is the dot product.
///
/// ## Implementation requirements
/// - A key holds one vector; inserting it again replaces the vector.
/// - `nearest` returns at most `limit` matches, most similar first; an exact index returns the true nearest,
///   an approximate one may miss some but never returns a similarity it did not compute.
/// - A removed key is never returned.
/// - Safe to use from many tasks at once.
public protocol VectorIndex: Sendable {
    /// The number of components every vector has.
    var dimension: Int { get }
    /// The number of keys held.
    var count: Int { get }

    /// Stores `vector` under `key`, replacing any earlier vector of that key.
    ///
    /// - Precondition: `vector.count == dimension`.
    func insert(_ vector: [Float], for key: String)

    /// Forgets `key`; nothing happens when it is absent.
    func remove(_ key: String)

    /// The `limit` keys whose vectors are most similar to `query`, most similar first.
    func nearest(to query: [Float], limit: Int) -> [VectorMatch]
}

extension VectorIndex {
    /// The most similar key, if any key is held.
    public func nearest(to query: [Float]) -> VectorMatch? {
        nearest(to: query, limit: 1).first
    }
}
