import Reprise
import RepriseSemantic

extension VectorIndexBenchmark {
    /// The shape of the random vectors (see ``BenchmarkVectors``).
    public enum Distribution: String, Sendable, CaseIterable {
        case uniform
        case lowRank = "low-rank"
    }

    /// Exact search against HNSW on the same vectors and queries.
    public struct Comparison: Sendable {
        /// One search breadth's figures.
        public struct Search: Sendable {
            public var searchBreadth: Int
            public var medianMilliseconds: Double
            public var p90Milliseconds: Double
            /// Share of queries whose true nearest key came first.
            public var recallAtOne: Double
            /// Share of the true 10 nearest keys among the 10 returned.
            public var recallAtTen: Double
        }

        public var entries: Int
        public var dimension: Int
        public var parameters: HNSWVectorIndex.Parameters
        public var exactBuildSeconds: Double
        public var exactMedianMilliseconds: Double
        public var exactP90Milliseconds: Double
        public var graphBuildSeconds: Double
        public var searches: [Search]
    }

    /// Compares the indexes on `entries` seeded random vectors of `distribution` and `queries` more.
    public func compare(
        entries: Int, dimension: Int = 384, distribution: Distribution, queries: Int = 200,
        parameters: HNSWVectorIndex.Parameters = .init(), searchBreadths: [Int] = [64, 128, 256]
    ) -> Comparison {
        var vectors = BenchmarkVectors(dimension: dimension, distribution: distribution, seed: 42)
        let stored = (0..<entries).map { _ in vectors.next() }
        let probes = (0..<max(queries, 1)).map { _ in vectors.next() }
        return compare(stored: stored, queries: probes, parameters: parameters, searchBreadths: searchBreadths)
    }

    /// Fills an exact and an HNSW index with the same `stored` vectors, then runs a top-10 search for each of
    /// `queries` on each (HNSW once per search breadth), timing them and measuring recall against the exact answers.
    ///
    /// - Precondition: every vector has the same dimension, and there is at least one query.
    public func compare(
        stored: [[Float]], queries probes: [[Float]], parameters: HNSWVectorIndex.Parameters = .init(), searchBreadths: [Int] = [64, 128, 256]
    ) -> Comparison {
        let dimension = probes[0].count
        let clock = ContinuousClock()
        let exact = ExactVectorIndex(dimension: dimension)
        let exactBuild = clock.measure { for (entry, vector) in stored.enumerated() { exact.insert(vector, for: "key-\(entry)") } }
        let graph = HNSWVectorIndex(dimension: dimension, parameters: parameters)
        let graphBuild = clock.measure { for (entry, vector) in stored.enumerated() { graph.insert(vector, for: "key-\(entry)") } }
        var truths: [[String]] = []
        let exactTimes = probes.map { query in
            clock.measure { truths.append(exact.nearest(to: query, limit: 10).map(\.key)) }.milliseconds
        }
        let searches = searchBreadths.map { breadth in
            var atOne = 0, atTen = 0
            let times = zip(probes, truths).map { query, truth in
                var found: [VectorMatch] = []
                let elapsed = clock.measure { found = graph.nearest(to: query, limit: 10, searchBreadth: breadth) }
                if found.first?.key == truth.first { atOne += 1 }
                atTen += Set(found.map(\.key)).intersection(truth).count
                return elapsed.milliseconds
            }
            return Comparison.Search(
                searchBreadth: breadth, medianMilliseconds: times.percentile(50), p90Milliseconds: times.percentile(90),
                recallAtOne: Double(atOne) / Double(probes.count), recallAtTen: Double(atTen) / Double(probes.count * 10))
        }
        return Comparison(
            entries: stored.count, dimension: dimension, parameters: parameters,
            exactBuildSeconds: exactBuild.milliseconds / 1000, exactMedianMilliseconds: exactTimes.percentile(50),
            exactP90Milliseconds: exactTimes.percentile(90), graphBuildSeconds: graphBuild.milliseconds / 1000, searches: searches)
    }
}

extension Duration {
    var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}

extension Array where Element == Double {
    func percentile(_ percent: Int) -> Double {
        let sorted = self.sorted()
        return sorted[Swift.min(sorted.count - 1, sorted.count * percent / 100)]
    }
}
