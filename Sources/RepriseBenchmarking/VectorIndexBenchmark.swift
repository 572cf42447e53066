import Reprise
import RepriseSemantic

/// Measures a vector index's search time at a given size, on random unit vectors.
public struct VectorIndexBenchmark: Sendable {
    public struct Result: Sendable {
        public var entries: Int
        public var dimension: Int
        public var medianMilliseconds: Double
        public var p90Milliseconds: Double
    }

    public init() {}

    /// Fills an ``ExactVectorIndex`` with `entries` random vectors, then times `queries` nearest-neighbour searches.
    public func run(entries: Int, dimension: Int = 384, queries: Int = 50) -> Result {
        var generator = SplitMix64(seed: 42)
        func randomUnitVector() -> [Float] {
            let vector = (0..<dimension).map { _ in Float(generator.next() % 2001) / 1000 - 1 }
            let norm = max(vector.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
            return vector.map { $0 / norm }
        }
        let index = ExactVectorIndex(dimension: dimension)
        for entry in 0..<entries { index.insert(randomUnitVector(), for: "key-\(entry)") }
        let clock = ContinuousClock()
        var times: [Double] = []
        for _ in 0..<max(queries, 1) {
            let query = randomUnitVector()
            let elapsed = clock.measure { _ = index.nearest(to: query, limit: 5) }
            times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        times.sort()
        return Result(entries: entries, dimension: dimension, medianMilliseconds: times[times.count / 2], p90Milliseconds: times[times.count * 9 / 10])
    }
}

