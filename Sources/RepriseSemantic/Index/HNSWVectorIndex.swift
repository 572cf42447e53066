import Synchronization

/// An approximate vector index: a hierarchical navigable small-world graph, searched in about logarithmic time
/// instead of comparing the query with every vector.
///
/// It may miss a true nearest neighbour (recall is measured in docs/benchmarks.md), but every similarity it
/// reports is the exact dot product of the query and that key's vector. For small scopes ``ExactVectorIndex``
/// is as fast and always exact; ``AdaptiveVectorIndex`` switches from one to the other as a scope grows.
///
/// Removing or replacing a key leaves a tombstone in the graph that still routes searches; once tombstones
/// outnumber live keys the graph is rebuilt from the live ones, so memory and search time stay proportional
/// to the keys held. That rebuild runs in the call that tips the balance (about 0.4 ms per live key in a
/// release build); ``AdaptiveVectorIndex`` rebuilds a step at a time instead.
public final class HNSWVectorIndex: VectorIndex {
    /// How the graph is built and searched.
    ///
    /// | parameter | default | meaning |
    /// | --- | --- | --- |
    /// | `neighbours` | 16 | links per node above level 0 (twice that on level 0); more raises recall, memory and build time |
    /// | `constructionBreadth` | 100 | candidates considered when linking a new node; more builds a better graph, slower |
    /// | `searchBreadth` | 64 | candidates kept during a search (at least the limit asked for); more raises recall, slower |
    /// | `seed` | 42 | seeds the random level of each node, so a build is reproducible |
    public struct Parameters: Sendable, Hashable {
        public var neighbours: Int
        public var constructionBreadth: Int
        public var searchBreadth: Int
        public var seed: UInt64

        public init(neighbours: Int = 16, constructionBreadth: Int = 100, searchBreadth: Int = 64, seed: UInt64 = 42) {
            self.neighbours = max(2, neighbours)
            self.constructionBreadth = max(1, constructionBreadth)
            self.searchBreadth = max(1, searchBreadth)
            self.seed = seed
        }
    }

    private struct State {
        var graph: HNSWGraph
        var visited = VisitedNodes()
    }

    /// Tombstones are swept by a rebuild once there are more of them than live keys and at least this many.
    static let minimumTombstonesForRebuild = 64

    public let dimension: Int
    public let parameters: Parameters
    /// Whether this index rebuilds itself when tombstones outnumber live keys; ``AdaptiveVectorIndex`` turns it
    /// off and rebuilds a step at a time instead.
    let sweepsTombstones: Bool
    private let state: Mutex<State>

    public convenience init(dimension: Int, parameters: Parameters = Parameters()) {
        self.init(dimension: dimension, parameters: parameters, sweepsTombstones: true)
    }

    init(dimension: Int, parameters: Parameters, sweepsTombstones: Bool) {
        precondition(dimension > 0, "a vector needs at least one component")
        self.dimension = dimension
        self.parameters = parameters
        self.sweepsTombstones = sweepsTombstones
        state = Mutex(State(graph: HNSWGraph(dimension: dimension, parameters: parameters)))
    }

    public var count: Int { state.withLock { $0.graph.liveCount } }

    /// Removed or replaced nodes still in the graph.
    var tombstoneCount: Int { state.withLock { $0.graph.deletedCount } }

    /// Whether tombstones are many enough, and outnumber live keys, for a rebuild to pay.
    var wantsRebuild: Bool {
        state.withLock { $0.graph.deletedCount >= Self.minimumTombstonesForRebuild && $0.graph.deletedCount > $0.graph.liveCount }
    }

    /// Every live key with its vector, for building another index from this one.
    var entries: [(key: String, vector: [Float])] { state.withLock { $0.graph.liveEntries } }

    /// - Complexity: O(constructionBreadth × neighbours × dimension × log count) on average; a rebuild, once
    ///   tombstones outnumber live keys, costs as much per live key.
    public func insert(_ vector: [Float], for key: String) {
        precondition(vector.count == dimension, "vector has \(vector.count) components, the index \(dimension)")
        state.withLock { state in
            state.graph.insert(vector, for: key, visited: &state.visited)
            if sweepsTombstones { Self.sweepTombstones(&state) }
        }
    }

    /// - Complexity: O(1), plus a rebuild when tombstones come to outnumber live keys.
    public func remove(_ key: String) {
        state.withLock { state in
            state.graph.remove(key)
            if sweepsTombstones { Self.sweepTombstones(&state) }
        }
    }

    /// - Complexity: O(searchBreadth × neighbours × dimension × log count) on average.
    public func nearest(to query: [Float], limit: Int) -> [VectorMatch] {
        nearest(to: query, limit: limit, searchBreadth: parameters.searchBreadth)
    }

    /// The `limit` keys most similar to `query` found keeping `searchBreadth` candidates (at least `limit`):
    /// a wider search finds more of the true nearest keys and takes longer.
    public func nearest(to query: [Float], limit: Int, searchBreadth: Int) -> [VectorMatch] {
        guard query.count == dimension, limit > 0 else { return [] }
        return state.withLock { state in
            state.graph.nearest(to: query, limit: limit, breadth: max(searchBreadth, limit), visited: &state.visited)
        }
    }

    private static func sweepTombstones(_ state: inout State) {
        let graph = state.graph
        if graph.liveCount == 0, graph.nodeCount > 0 {
            state.graph = HNSWGraph(dimension: graph.dimension, parameters: graph.parameters)
        } else if graph.deletedCount >= minimumTombstonesForRebuild, graph.deletedCount > graph.liveCount {
            var rebuilt = HNSWGraph(dimension: graph.dimension, parameters: graph.parameters)
            for entry in graph.liveEntries { rebuilt.insert(entry.vector, for: entry.key, visited: &state.visited) }
            state.graph = rebuilt
        }
    }
}
