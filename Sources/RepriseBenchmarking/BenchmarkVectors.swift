import Reprise
import RepriseSemantic

/// Seeded random unit vectors for the index benchmarks, in two shapes.
///
/// - `uniform`: every direction equally likely. The hardest case for a graph index: in high dimension all
///   vectors are nearly equally far apart, so a search has no gradient to follow.
/// - `lowRank`: points of a 24-dimensional space projected by a fixed random matrix, plus 5% noise. Sentence
///   embeddings are like this: hundreds of components, but far fewer independent directions.
struct BenchmarkVectors {
    static let rank = 24
    static let noise: Float = 0.05

    private var generator: SplitMix64
    private let dimension: Int
    private let distribution: VectorIndexBenchmark.Distribution
    private let projection: [Float]

    init(dimension: Int, distribution: VectorIndexBenchmark.Distribution, seed: UInt64) {
        self.dimension = dimension
        self.distribution = distribution
        generator = SplitMix64(seed: seed)
        var projectionGenerator = SplitMix64(seed: seed ^ 0x5eed)
        projection = distribution == .lowRank ? (0..<(dimension * Self.rank)).map { _ in Self.uniform(&projectionGenerator) } : []
    }

    /// A value in [-1, 1].
    private static func uniform(_ generator: inout SplitMix64) -> Float {
        Float(generator.next() % 2001) / 1000 - 1
    }

    mutating func next() -> [Float] {
        var vector: [Float]
        switch distribution {
        case .uniform:
            vector = (0..<dimension).map { _ in Self.uniform(&generator) }
        case .lowRank:
            let point = (0..<Self.rank).map { _ in Self.uniform(&generator) }
            vector = (0..<dimension).map { row in
                var value: Float = 0
                for column in 0..<Self.rank { value += projection[row * Self.rank + column] * point[column] }
                return value
            }
            let scale = vector.reduce(0) { $0 + $1 * $1 }.squareRoot() / Float(dimension).squareRoot()
            for index in vector.indices { vector[index] += Self.noise * scale * Self.uniform(&generator) }
        }
        let norm = max(vector.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
        return vector.map { $0 / norm }
    }
}
