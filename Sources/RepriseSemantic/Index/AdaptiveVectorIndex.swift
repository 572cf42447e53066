import Synchronization

/// A vector index that is exact while small and approximate once large: it starts as an ``ExactVectorIndex``
/// and, once it holds more than ``threshold`` keys, builds an ``HNSWVectorIndex`` of them and switches to it.
///
/// Exact search is linear in the number of keys and HNSW search about logarithmic, with a build cost and a
/// small loss of recall; the default threshold is where, on this project's benchmark machine, exact search
/// starts to take about a millisecond (see docs/benchmarks.md).
///
/// The graph is built a little at a time so no single call stalls: each insert or removal after the
/// threshold also adds ``buildStep`` of the earlier keys to the graph, and searches stay exact until the graph
/// holds every key. Changes made meanwhile go to both indexes, and an earlier key changed meanwhile is not
/// copied again, so nothing inserted, replaced or removed during the build is lost or brought back.
public final class AdaptiveVectorIndex: VectorIndex {
    /// Keys past which a scope's index becomes approximate.
    public static let defaultThreshold = 20_000
    /// Earlier keys copied into the graph with each change while it is being built.
    public static let buildStep = 16

    /// A graph being filled from a snapshot of the exact index.
    private final class GraphBuild {
        let exact: ExactVectorIndex
        let graph: HNSWVectorIndex
        let backlog: [(key: String, vector: [Float])]
        var next = 0
        /// Keys changed since the snapshot: their snapshot vectors are stale.
        var changed: Set<String> = []

        init(exact: ExactVectorIndex, graph: HNSWVectorIndex) {
            self.exact = exact
            self.graph = graph
            backlog = exact.entries
        }

        var isComplete: Bool { next == backlog.count }

        func advance() {
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

    /// - Complexity: as the current index's insert; while the graph is built, also `buildStep` graph inserts.
    public func insert(_ vector: [Float], for key: String) {
        phase.withLock { phase in
            switch phase {
            case .exact(let exact):
                exact.insert(vector, for: key)
                if exact.count > threshold {
                    phase = .building(GraphBuild(exact: exact, graph: HNSWVectorIndex(dimension: dimension, parameters: parameters)))
                }
            case .building(let build):
                build.exact.insert(vector, for: key)
                build.graph.insert(vector, for: key)
                build.changed.insert(key)
                Self.advance(build, phase: &phase)
            case .approximate(let graph):
                graph.insert(vector, for: key)
            }
        }
    }

    /// - Complexity: as the current index's removal; while the graph is built, also `buildStep` graph inserts.
    public func remove(_ key: String) {
        phase.withLock { phase in
            switch phase {
            case .exact(let exact):
                exact.remove(key)
            case .building(let build):
                build.exact.remove(key)
                build.graph.remove(key)
                build.changed.insert(key)
                Self.advance(build, phase: &phase)
            case .approximate(let graph):
                graph.remove(key)
            }
        }
    }

    public func nearest(to query: [Float], limit: Int) -> [VectorMatch] {
        current.nearest(to: query, limit: limit)
    }

    /// The index searches go to: exact until the graph is complete.
    private var current: any VectorIndex {
        phase.withLock { phase in
            switch phase {
            case .exact(let exact): exact
            case .building(let build): build.exact
            case .approximate(let graph): graph
            }
        }
    }

    private static func advance(_ build: GraphBuild, phase: inout Phase) {
        build.advance()
        if build.isComplete { phase = .approximate(build.graph) }
    }
}
