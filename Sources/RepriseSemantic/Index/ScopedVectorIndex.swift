import Synchronization

/// One vector index per semantic scope: a query only ever meets vectors stored under the same scope.
///
/// The scope is the context fingerprint of a request (see ``ScopeFingerprint``): everything but the last
/// user turn, hashed. Indexes are made on first insert by `makeIndex` (an ``ExactVectorIndex`` by default)
/// and dropped when their last key is removed.
public final class ScopedVectorIndex: Sendable {
    public let dimension: Int
    private let makeIndex: @Sendable (Int) -> any VectorIndex
    private let indexes = Mutex<[String: any VectorIndex]>([:])

    public init(dimension: Int, makeIndex: @escaping @Sendable (Int) -> any VectorIndex = { ExactVectorIndex(dimension: $0) }) {
        self.dimension = dimension
        self.makeIndex = makeIndex
    }

    /// Scopes whose index is exact up to `threshold` keys and an HNSW graph past it (``AdaptiveVectorIndex``).
    public static func adaptive(
        dimension: Int, threshold: Int = AdaptiveVectorIndex.defaultThreshold, parameters: HNSWVectorIndex.Parameters = .init()
    ) -> ScopedVectorIndex {
        ScopedVectorIndex(dimension: dimension) { AdaptiveVectorIndex(dimension: $0, threshold: threshold, parameters: parameters) }
    }

    /// The number of scopes holding at least one key.
    public var scopeCount: Int { indexes.withLock { $0.count } }

    /// Stores `vector` under `key` in `scope`.
    public func insert(_ vector: [Float], for key: String, scope: String) {
        let index = indexes.withLock { indexes in
            if let index = indexes[scope] { return index }
            let index = makeIndex(dimension)
            indexes[scope] = index
            return index
        }
        index.insert(vector, for: key)
    }

    /// Forgets `key` in `scope`.
    public func remove(_ key: String, scope: String) {
        indexes.withLock { indexes in
            guard let index = indexes[scope] else { return }
            index.remove(key)
            if index.count == 0 { indexes[scope] = nil }
        }
    }

    /// The `limit` most similar keys in `scope`, most similar first; none when the scope is unknown.
    public func nearest(to query: [Float], scope: String, limit: Int = 1) -> [VectorMatch] {
        guard let index = indexes.withLock({ $0[scope] }) else { return [] }
        return index.nearest(to: query, limit: limit)
    }
}
