import Testing
import RepriseSemantic

@Suite("vector index")
struct VectorIndexTests {
    /// A unit vector along `axis`, tilted towards `other` by `tilt`.
    func vector(_ axis: Int, tilt: Float = 0, towards other: Int = 0, dimension: Int = 40) -> [Float] {
        var vector = [Float](repeating: 0, count: dimension)
        vector[axis] = 1
        vector[other] += tilt
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return vector.map { $0 / norm }
    }

    /// Every implementation passes these; an approximate index adds one line here.
    static let implementations: [@Sendable (Int) -> any VectorIndex] = [
        { ExactVectorIndex(dimension: $0) },
        { HNSWVectorIndex(dimension: $0) },
        { AdaptiveVectorIndex(dimension: $0, threshold: 8) },
    ]

    @Test("nearest returns the most similar keys first, at most limit", arguments: implementations)
    func nearestOrder(make: @Sendable (Int) -> any VectorIndex) {
        let index = make(40)
        index.insert(vector(1), for: "one")
        index.insert(vector(2), for: "two")
        index.insert(vector(3, tilt: 0.5, towards: 1), for: "three-near-one")
        let matches = index.nearest(to: vector(1), limit: 2)
        #expect(matches.map(\.key) == ["one", "three-near-one"])
        #expect(abs(matches[0].similarity - 1) < 1e-5)
        #expect(abs(matches[1].similarity - Float(0.5) / Float(1.25).squareRoot()) < 1e-5)
        #expect(index.nearest(to: vector(5))?.similarity ?? 1 < 1e-5)
    }

    @Test("inserting a key again replaces its vector", arguments: implementations)
    func replace(make: @Sendable (Int) -> any VectorIndex) {
        let index = make(40)
        index.insert(vector(1), for: "k")
        index.insert(vector(2), for: "k")
        #expect(index.count == 1)
        #expect(index.nearest(to: vector(2))?.key == "k")
        #expect((index.nearest(to: vector(1))?.similarity ?? 1) < 1e-5)
    }

    @Test("a removed key is never returned, and the others stay findable", arguments: implementations)
    func remove(make: @Sendable (Int) -> any VectorIndex) {
        let index = make(40)
        for axis in 0..<30 { index.insert(vector(axis), for: "k\(axis)") }
        index.remove("k3")
        index.remove("absent")
        #expect(index.count == 29)
        #expect(index.nearest(to: vector(3), limit: 30).allSatisfy { $0.key != "k3" })
        for axis in 0..<30 where axis != 3 { #expect(index.nearest(to: vector(axis))?.key == "k\(axis)") }
    }

    @Test("vectors longer than one SIMD register are compared exactly", arguments: implementations)
    func longVectors(make: @Sendable (Int) -> any VectorIndex) {
        let index = make(384)
        index.insert(vector(383, dimension: 384), for: "last")
        index.insert(vector(0, dimension: 384), for: "first")
        #expect(index.nearest(to: vector(383, dimension: 384))?.key == "last")
    }

    @Test("a query never meets vectors of another scope")
    func scopes() {
        let index = ScopedVectorIndex(dimension: 40)
        index.insert(vector(1), for: "a", scope: "conversation-1")
        #expect(index.nearest(to: vector(1), scope: "conversation-2").isEmpty)
        #expect(index.nearest(to: vector(1), scope: "conversation-1").first?.key == "a")
        index.remove("a", scope: "conversation-1")
        #expect(index.scopeCount == 0)
    }
}
