import Reprise

/// An entry stored for a different request that may answer this one: it is in the same scope, its text is
/// similar enough, and no guard vetoed it.
public struct SemanticMatch: Sendable {
    /// The entry's key (not the request's).
    public var key: CacheKey
    public var entry: CacheEntry
    /// The cosine similarity of the two last user turns, computed from the entry's exact vector.
    public var similarity: Float
}

/// What a semantic lookup found.
public enum SemanticLookup: Sendable {
    /// A match to serve.
    case hit(SemanticMatch)
    /// Nothing to serve. `vector` is the query's embedding, kept so the answer can be indexed when it is
    /// stored (`nil` when embedding failed); `veto` names the guard that refused the best candidate.
    case miss(vector: [Float]?, veto: SemanticGuard?)
}
