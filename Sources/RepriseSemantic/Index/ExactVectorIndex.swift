import Synchronization

/// A vector index that compares the query with every stored vector: exact, and fast enough for about
/// 100,000 vectors of 384 dimensions per scope (a few milliseconds on one core, see docs/benchmarks.md).
///
/// Vectors live in one contiguous array, a row per key; removal moves the last row into the gap, so the
/// array never has holes.
public final class ExactVectorIndex: VectorIndex {
    private struct State {
        var rows: [Float] = []
        var keys: [String] = []
        var rowOfKey: [String: Int] = [:]
    }

    public let dimension: Int
    private let state = Mutex(State())

    public init(dimension: Int) {
        precondition(dimension > 0, "a vector needs at least one component")
        self.dimension = dimension
    }

    public var count: Int { state.withLock { $0.keys.count } }

    /// - Complexity: O(dimension).
    public func insert(_ vector: [Float], for key: String) {
        precondition(vector.count == dimension, "vector has \(vector.count) components, the index \(dimension)")
        state.withLock { state in
            if let row = state.rowOfKey[key] {
                state.rows.replaceSubrange((row * dimension)..<((row + 1) * dimension), with: vector)
            } else {
                state.rowOfKey[key] = state.keys.count
                state.keys.append(key)
                state.rows.append(contentsOf: vector)
            }
        }
    }

    /// - Complexity: O(dimension).
    public func remove(_ key: String) {
        state.withLock { state in
            guard let row = state.rowOfKey.removeValue(forKey: key) else { return }
            let last = state.keys.count - 1
            if row != last {
                let moved = state.keys[last]
                state.keys[row] = moved
                state.rowOfKey[moved] = row
                for index in 0..<dimension { state.rows[row * dimension + index] = state.rows[last * dimension + index] }
            }
            state.keys.removeLast()
            state.rows.removeLast(dimension)
        }
    }

    /// Every key with its vector, for building another index from this one.
    var entries: [(key: String, vector: [Float])] {
        state.withLock { state in
            state.keys.indices.map { (state.keys[$0], Array(state.rows[($0 * dimension)..<(($0 + 1) * dimension)])) }
        }
    }

    /// - Complexity: O(count × dimension + count × limit).
    public func nearest(to query: [Float], limit: Int) -> [VectorMatch] {
        guard query.count == dimension, limit > 0 else { return [] }
        return state.withLock { state in
            var best = TopMatches(limit: limit)
            state.rows.withUnsafeBufferPointer { rows in
                query.withUnsafeBufferPointer { query in
                    for row in 0..<state.keys.count {
                        best.offer(row: row, similarity: DotProduct.compute(query.baseAddress!, rows.baseAddress! + row * dimension, count: dimension))
                    }
                }
            }
            return best.sorted.map { VectorMatch(key: state.keys[$0.row], similarity: $0.similarity) }
        }
    }
}

/// The best few (row, similarity) pairs seen so far, kept in a small array sorted best first.
struct TopMatches {
    let limit: Int
    private(set) var sorted: [(row: Int, similarity: Float)] = []

    init(limit: Int) {
        self.limit = limit
    }

    mutating func offer(row: Int, similarity: Float) {
        if sorted.count == limit, let worst = sorted.last, similarity <= worst.similarity { return }
        let position = sorted.firstIndex { similarity > $0.similarity } ?? sorted.count
        sorted.insert((row, similarity), at: position)
        if sorted.count > limit { sorted.removeLast() }
    }
}

/// The dot product of two float vectors with 16-lane SIMD, and a scalar tail.
enum DotProduct {
    static func compute(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var sum = SIMD16<Float>()
        var index = 0
        let rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b)
        while index + 16 <= count {
            sum += rawA.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self)
                * rawB.loadUnaligned(fromByteOffset: index * 4, as: SIMD16<Float>.self)
            index += 16
        }
        var total = sum.sum()
        while index < count {
            total += a[index] * b[index]
            index += 1
        }
        return total
    }
}
