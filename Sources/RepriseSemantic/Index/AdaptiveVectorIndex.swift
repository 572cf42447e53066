import Synchronization

/// A vector index that is exact while small and approximate once large: it starts as an ``ExactVectorIndex``
/// and, when it grows past ``threshold`` keys, builds an ``HNSWVectorIndex`` from them and switches to it.
///
/// Exact search is linear in the number of keys and HNSW search about logarithmic, with a build cost and a
/// small loss of recall; the default threshold is where, measured on this project's benchmark machine,
/// exact search starts to take longer than a millisecond (see docs/benchmarks.md).
///
/// The insert that crosses the threshold builds the graph on its own task. Meanwhile queries and other
/// changes go to the exact index, and the changes are also recorded and replayed into the graph before the
/// switch, so nothing inserted or removed during the build is lost. It stays approximate from then on.
public final class AdaptiveVectorIndex: VectorIndex {
    /// Keys past which a scope's index becomes approximate.
    public static let defaultThreshold = 20_000

    private enum Change {
        case insert(String, [Float])
        case remove(String)
    }

    private enum Phase {
        case exact(ExactVectorIndex)
        case building(ExactVectorIndex, changes: [Change])
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

    /// - Complexity: as the current index's insert; the insert that crosses the threshold also builds the graph.
    public func insert(_ vector: [Float], for key: String) {
        let snapshot: [(key: String, vector: [Float])]? = phase.withLock { phase in
            switch phase {
            case .exact(let exact):
                exact.insert(vector, for: key)
                guard exact.count > threshold else { return nil }
                phase = .building(exact, changes: [])
                return exact.entries
            case .building(let exact, var changes):
                exact.insert(vector, for: key)
                changes.append(.insert(key, vector))
                phase = .building(exact, changes: changes)
                return nil
            case .approximate(let graph):
                graph.insert(vector, for: key)
                return nil
            }
        }
        if let snapshot { switchToGraph(from: snapshot) }
    }

    public func remove(_ key: String) {
        phase.withLock { phase in
            switch phase {
            case .exact(let exact):
                exact.remove(key)
            case .building(let exact, var changes):
                exact.remove(key)
                changes.append(.remove(key))
                phase = .building(exact, changes: changes)
            case .approximate(let graph):
                graph.remove(key)
            }
        }
    }

    public func nearest(to query: [Float], limit: Int) -> [VectorMatch] {
        current.nearest(to: query, limit: limit)
    }

    private var current: any VectorIndex {
        phase.withLock { phase in
            switch phase {
            case .exact(let exact), .building(let exact, _): exact
            case .approximate(let graph): graph
            }
        }
    }

    private func switchToGraph(from snapshot: [(key: String, vector: [Float])]) {
        let graph = HNSWVectorIndex(dimension: dimension, parameters: parameters, entries: snapshot)
        phase.withLock { phase in
            guard case .building(_, let changes) = phase else { return }
            for change in changes {
                switch change {
                case .insert(let key, let vector): graph.insert(vector, for: key)
                case .remove(let key): graph.remove(key)
                }
            }
            phase = .approximate(graph)
        }
    }
}
