import Foundation
import Reprise
import RepriseBenchmarking
@testable import RepriseSemantic
import Testing

/// Seeded random unit vectors (the benchmark's generator), so recall figures are reproducible.
struct SeededVectors {
    private var generator: SplitMix64

    init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    mutating func next() -> UInt64 {
        generator.next()
    }

    mutating func unitVector(dimension: Int) -> [Float] {
        let vector = (0..<dimension).map { _ in Float(next() % 2001) / 1000 - 1 }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return vector.map { $0 / norm }
    }
}

@Suite("HNSW and adaptive vector indexes")
struct HNSWVectorIndexTests {
    /// 32 dimensions keep a debug build quick; `reprise model bench` measures 384 (docs/benchmarks.md).
    static let dimension = 32

    /// An exact and an HNSW index holding the same `count` seeded vectors, keys `k0`, `k1`, ….
    func filledIndexes(count: Int, random: inout SeededVectors) -> (ExactVectorIndex, HNSWVectorIndex, [[Float]]) {
        let exact = ExactVectorIndex(dimension: Self.dimension)
        let approximate = HNSWVectorIndex(dimension: Self.dimension)
        var vectors: [[Float]] = []
        for entry in 0..<count {
            let vector = random.unitVector(dimension: Self.dimension)
            vectors.append(vector)
            exact.insert(vector, for: "k\(entry)")
            approximate.insert(vector, for: "k\(entry)")
        }
        return (exact, approximate, vectors)
    }

    /// Recall@1 and @10 of `approximate` against `exact` on `queries` random queries; also checks every
    /// similarity reported is the true one (`vectors[n]` is key `kn`'s vector).
    func recall(
        of approximate: any VectorIndex, against exact: ExactVectorIndex, vectors: [[Float]], queries: Int, random: inout SeededVectors
    ) -> (Double, Double) {
        var atOne = 0, atTen = 0
        for _ in 0..<queries {
            let query = random.unitVector(dimension: Self.dimension)
            let truth = exact.nearest(to: query, limit: 10)
            let found = approximate.nearest(to: query, limit: 10)
            if found.first?.key == truth.first?.key { atOne += 1 }
            atTen += Set(found.map(\.key)).intersection(truth.map(\.key)).count
            #expect(found.map(\.similarity) == found.map(\.similarity).sorted(by: >))
            for match in found {
                let similarity = zip(query, vectors[Int(match.key.dropFirst())!]).map(*).reduce(0, +)
                #expect(abs(similarity - match.similarity) < 1e-5)
            }
        }
        return (Double(atOne) / Double(queries), Double(atTen) / Double(queries * 10))
    }

    @Test("recall@1 and @10 against the exact index on 5,000 seeded random unit vectors is at least 0.95")
    func recallAgainstExact() {
        var random = SeededVectors(seed: 7)
        let (exact, approximate, vectors) = filledIndexes(count: 5_000, random: &random)
        let (atOne, atTen) = recall(of: approximate, against: exact, vectors: vectors, queries: 100, random: &random)
        #expect(atOne >= 0.95, "recall@1 \(atOne)")
        #expect(atTen >= 0.95, "recall@10 \(atTen)")
    }

    @Test("removed keys are never returned, the rest stay findable, and tombstones are swept by a rebuild")
    func removal() {
        var random = SeededVectors(seed: 11)
        let (exact, approximate, vectors) = filledIndexes(count: 600, random: &random)
        // Two in three removed: tombstones come to outnumber live keys halfway, and the graph is rebuilt.
        for entry in 0..<600 where entry % 3 != 0 {
            approximate.remove("k\(entry)")
            exact.remove("k\(entry)")
        }
        #expect(approximate.count == 200)
        for entry in 0..<600 {
            let found = approximate.nearest(to: vectors[entry], limit: 10)
            #expect(found.allSatisfy { Int($0.key.dropFirst()).map { $0 % 3 == 0 } ?? false })
            if entry % 3 == 0 { #expect(found.first?.key == "k\(entry)") }
        }
        let (atOne, atTen) = recall(of: approximate, against: exact, vectors: vectors, queries: 50, random: &random)
        #expect(atOne >= 0.95 && atTen >= 0.95, "after removals: recall@1 \(atOne), @10 \(atTen)")
        for entry in stride(from: 0, to: 600, by: 3) { approximate.remove("k\(entry)") }
        #expect(approximate.count == 0)
        #expect(approximate.nearest(to: vectors[1], limit: 5).isEmpty)
        approximate.insert(vectors[3], for: "again")
        #expect(approximate.nearest(to: vectors[3])?.key == "again")
    }

    @Test("re-inserting keys replaces their vectors")
    func replacement() {
        var random = SeededVectors(seed: 13)
        let (_, approximate, vectors) = filledIndexes(count: 500, random: &random)
        let moved = (0..<100).map { _ in random.unitVector(dimension: Self.dimension) }
        for (entry, vector) in moved.enumerated() { approximate.insert(vector, for: "k\(entry)") }
        #expect(approximate.count == 500)
        for (entry, vector) in moved.enumerated() {
            #expect(approximate.nearest(to: vector)?.key == "k\(entry)")
            let old = approximate.nearest(to: vectors[entry], limit: 500).first { $0.key == "k\(entry)" }
            #expect(old.map { abs($0.similarity - zip(vector, vectors[entry]).map(*).reduce(0, +)) < 1e-5 } ?? true)
        }
    }

    static let concurrentImplementations: [@Sendable () -> any VectorIndex] = [
        { HNSWVectorIndex(dimension: HNSWVectorIndexTests.dimension) },
        { AdaptiveVectorIndex(dimension: HNSWVectorIndexTests.dimension, threshold: 200) },
    ]

    @Test("many tasks inserting, removing and searching at once leave a consistent index", arguments: concurrentImplementations)
    func concurrentUse(make: @Sendable () -> any VectorIndex) async {
        let index = make()
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var random = SeededVectors(seed: UInt64(100 + worker))
                    for entry in 0..<300 {
                        let vector = random.unitVector(dimension: Self.dimension)
                        let key = "w\(worker)-\(entry)"
                        index.insert(vector, for: key)
                        if entry % 3 == 0 { index.remove(key) }
                        let found = index.nearest(to: vector, limit: 5)
                        if entry % 3 == 0 { #expect(!found.contains { $0.key == key }) } else { #expect(found.first?.key == key) }
                    }
                }
            }
        }
        #expect(index.count == 4 * 200)
        var random = SeededVectors(seed: 100)
        for entry in 0..<300 {
            let vector = random.unitVector(dimension: Self.dimension)
            let first = index.nearest(to: vector)?.key
            if entry % 3 == 0 { #expect(first != "w0-\(entry)") } else { #expect(first == "w0-\(entry)") }
        }
    }

    @Test("the adaptive index is exact up to its threshold, then builds HNSW step by step keeping every change")
    func adaptiveSwitch() {
        var random = SeededVectors(seed: 17)
        let index = AdaptiveVectorIndex(dimension: Self.dimension, threshold: 300)
        var vectors: [String: [Float]] = [:]
        func insert(_ key: String) {
            vectors[key] = random.unitVector(dimension: Self.dimension)
            index.insert(vectors[key]!, for: key)
        }
        for entry in 0...300 { insert("k\(entry)") }
        #expect(!index.isApproximate, "crossing the threshold starts the build; searches stay exact meanwhile")
        index.remove("k290")
        vectors["k290"] = nil
        let stale = vectors["k295"]!
        insert("k295")
        var changes = 2
        while !index.isApproximate {
            insert("n\(changes)")
            changes += 1
            #expect(changes < 100, "the build finishes within a bounded number of changes")
            if changes >= 100 { return }
        }
        #expect(changes <= 301 / AdaptiveVectorIndex.buildStep + 2)
        #expect(index.count == vectors.count)
        #expect(!index.nearest(to: stale, limit: 400).contains { $0.key == "k290" })
        let replaced = index.nearest(to: stale, limit: 400).first { $0.key == "k295" }
        #expect(replaced.map { abs($0.similarity - zip(stale, vectors["k295"]!).map(*).reduce(0, +)) < 1e-5 } ?? true)
        for (key, vector) in vectors { #expect(index.nearest(to: vector)?.key == key) }
    }

    @Test("after many removals the adaptive index rebuilds its graph step by step, never returning removed keys")
    func adaptiveRebuild() {
        var random = SeededVectors(seed: 23)
        let index = AdaptiveVectorIndex(dimension: Self.dimension, threshold: 50)
        var vectors: [String: [Float]] = [:]
        for entry in 0..<400 {
            let key = "k\(entry)"
            vectors[key] = random.unitVector(dimension: Self.dimension)
            index.insert(vectors[key]!, for: key)
            if entry >= 100, entry % 4 != 0 {
                index.remove("k\(entry - 100)")
                vectors["k\(entry - 100)"] = nil
            }
            if entry % 50 == 49 {
                #expect(index.count == vectors.count)
                for (key, vector) in vectors { #expect(index.nearest(to: vector)?.key == key) }
                let removed = (0..<max(0, entry - 100)).map { "k\($0)" }.filter { vectors[$0] == nil }
                let found = index.nearest(to: random.unitVector(dimension: Self.dimension), limit: 400).map(\.key)
                #expect(Set(found).isDisjoint(with: removed))
            }
        }
        #expect(index.isApproximate)
    }

    @Test("scoped adaptive indexes keep scopes apart")
    func scopedAdaptive() {
        var random = SeededVectors(seed: 19)
        let scoped = ScopedVectorIndex.adaptive(dimension: Self.dimension, threshold: 20)
        let vectors = (0..<50).map { _ in random.unitVector(dimension: Self.dimension) }
        for (entry, vector) in vectors.enumerated() { scoped.insert(vector, for: "k\(entry)", scope: entry < 40 ? "large" : "small") }
        #expect(scoped.nearest(to: vectors[45], scope: "large").first?.key != "k45")
        #expect(scoped.nearest(to: vectors[45], scope: "small").first?.key == "k45")
        #expect(scoped.nearest(to: vectors[5], scope: "large").first?.key == "k5")
    }
}
