import Synchronization

/// A vector index that is exact while small and approximate once large: it starts as an ``ExactVectorIndex``
/// and, once it holds more than ``threshold`` keys, builds an ``HNSWVectorIndex`` of them and switches to it.
///
/// Exact search is linear in the number of keys and HNSW search about logarithmic, with a build cost and a
/// small loss of recall; the default threshold is where, on this project's benchmark machine, exact search
/// takes about a millisecond (see docs/benchmarks.md).
///
/// The graph is built a little at a time so no single call stalls: each insert or removal after the
/// threshold also adds ``buildStep`` of the earlier keys to the graph, and searches go to the exact index until
/// the graph holds every key. Changes made meanwhile go to both indexes, and an earlier key changed meanwhile
/// is not copied again, so nothing inserted, replaced or removed during the build is lost or brought back.
/// When removals and replacements leave the graph with more tombstones than live keys, a fresh graph is built
/// the same way while searches go to the old one. It never goes back to exact search.
public final class AdaptiveVectorIndex: VectorIndex {
    /// Keys past which a scope's index becomes approximate.
    public static let defaultThreshold = 20_000
    /// Earlier keys copied into the graph with each change while it is being built.
    public static let buildStep = 16

    /// A graph being filled from a snapshot of the index searches go to meanwhile.
    private final class GraphBuild {
        let searched: any VectorIndex
        let graph: HNSWVectorIndex
        let backlog: [(key: String, vector: [Float])]
        var next = 0
        /// Keys changed since the snapshot: their snapshot vectors are stale.
        var changed: Set<String> = []

        init(searched: any VectorIndex, entries: [(key: String, vector: [Float])], graph: HNSWVectorIndex) {
            self.searched = searched
            self.graph = graph
            backlog = entries
        }

        var isComplete: Bool { next == backlog.count }

        func insert(_ vector: [Float], for key: String) {
            searched.insert(vector, for: key)
            graph.insert(vector, for: key)
            changed.insert(key)
            advance()
        }

        func remove(_ key: String) {
            searched.remove(key)
            graph.remove(key)
            changed.insert(key)
            advance()
        }

        private func advance() {
            var copied = 0
            while copied < AdaptiveVectorIndex.buildStep, next < backlog.count {
                let entry = backlog[next]
                next += 1
                guard !changed.contains(entry.key) else { continue }
                graph.insert(entry.vector, for: entry.key)
                copied += 1
            }
        }
    }

    private enum Phase {
        case exact(ExactVectorIndex)
        case building(GraphBuild)
        case approximate(HNSWVectorIndex)
    }

    public let dimension: Int
    public let threshold: Int
    public let parameters: HNSWVectorIndex.Parameters
    private let phase: Mutex<Phase>

    public init(dimension: Int, threshold: Int = AdaptiveVectorIndex.defaultThreshold, parameters: HNSWVectorIndex.Parameters = .init()) {
        self.dimension = dimension
        self.threshold = max(1, threshold)
        self.parameters = parameters
        phase = Mutex(.exact(ExactVectorIndex(dimension: dimension)))
    }

    /// Whether searches go to the HNSW graph.
    public var isApproximate: Bool {
        phase.withLock { if case .approximate = $0 { true } else { false } }
    }

    public var count: Int { current.count }

    /// - Complexity: as the current index's insert; while a graph is built, also `buildStep` graph inserts.
    public func insert(_ vector: [Float], for key: String) {
        phase.withLock { phase in
            switch phase {
            case .exact(let exact):
                exact.insert(vector, for: key)
                if exact.count > threshold { phase = .building(GraphBuild(searched: exact, entries: exact.entries, graph: newGraph())) }
            case .building(let build):
                build.insert(vector, for: key)
                if build.isComplete { phase = .approximate(build.graph) }
            case .approximate(let graph):
                graph.insert(vector, for: key)
                startRebuildIfSparse(graph, phase: &phase)
            }
        }
    }

    /// - Complexity: as the current index's removal; while a graph is built, also `buildStep` graph inserts.
    public func remove(_ key: String) {
        phase.withLock { phase in
            switch phase {
            case .exact(let exact):
                exact.remove(key)
            case .building(let build):
                build.remove(key)
                if build.isComplete { phase = .approximate(build.graph) }
            case .approximate(let graph):
                graph.remove(key)
                startRebuildIfSparse(graph, phase: &phase)
            }
        }
    }

    public func nearest(to query: [Float], limit: Int) -> [VectorMatch] {
        current.nearest(to: query, limit: limit)
    }

    /// The index searches go to: the earlier one until a graph being built is complete.
    private var current: any VectorIndex {
        phase.withLock { phase in
            switch phase {
            case .exact(let exact): exact
            case .building(let build): build.searched
            case .approximate(let graph): graph
            }
        }
    }

    private func newGraph() -> HNSWVectorIndex {
        HNSWVectorIndex(dimension: dimension, parameters: parameters, sweepsTombstones: false)
    }

    private func startRebuildIfSparse(_ graph: HNSWVectorIndex, phase: inout Phase) {
        guard graph.wantsRebuild else { return }
        let entries = graph.entries
        phase = entries.isEmpty ? .approximate(newGraph()) : .building(GraphBuild(searched: graph, entries: entries, graph: newGraph()))
    }
}
