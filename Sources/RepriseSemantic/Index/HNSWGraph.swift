import Foundation
import Reprise

/// The state of ``HNSWVectorIndex``: a hierarchical navigable small-world graph (Malkov and Yashunin, 2016)
/// over vectors stored one row per node.
///
/// Level 0 holds every node with up to `2 × neighbours` links, kept in one flat array; each higher level holds
/// a random, exponentially smaller share of the nodes with up to `neighbours` links. Removal leaves a
/// tombstone: the node still routes searches but is never returned, and its key is free for a new node.
struct HNSWGraph {
    let dimension: Int
    let parameters: HNSWVectorIndex.Parameters
    private(set) var vectors: [Float] = []
    private var keys: [String] = []
    private var nodeOfKey: [String: Int32] = [:]
    private var deleted: [Bool] = []
    /// Per node: the link count, then `levelZeroCapacity` slots.
    private var levelZeroLinks: [Int32] = []
    /// Per node: one list of links for each level above 0 that the node is on.
    private var upperLinks: [[[Int32]]] = []
    private var entryPoint: Int32 = -1
    private var topLevel = 0
    private(set) var deletedCount = 0
    private var generator: SplitMix64

    init(dimension: Int, parameters: HNSWVectorIndex.Parameters) {
        self.dimension = dimension
        self.parameters = parameters
        generator = SplitMix64(seed: parameters.seed)
    }

    var nodeCount: Int { keys.count }
    var liveCount: Int { keys.count - deletedCount }
    private var levelZeroCapacity: Int { 2 * parameters.neighbours }
    private var levelZeroStride: Int { levelZeroCapacity + 1 }

    /// Every live key with its vector, in insertion order.
    var liveEntries: [(key: String, vector: [Float])] {
        keys.indices.filter { !deleted[$0] }.map { (keys[$0], Array(vectors[$0 * dimension..<($0 + 1) * dimension])) }
    }

    // MARK: Changes

    /// Adds `vector` as a new node for `key`, tombstoning the key's earlier node.
    ///
    /// - Complexity: O(constructionBreadth × neighbours × dimension × log count), on average.
    mutating func insert(_ vector: [Float], for key: String, visited: inout VisitedNodes) {
        remove(key)
        let node = Int32(keys.count)
        let level = randomLevel()
        vectors.append(contentsOf: vector)
        keys.append(key)
        deleted.append(false)
        levelZeroLinks.append(0)
        levelZeroLinks.append(contentsOf: repeatElement(-1, count: levelZeroCapacity))
        upperLinks.append(Array(repeating: [], count: level))
        nodeOfKey[key] = node
        guard entryPoint >= 0 else {
            entryPoint = node
            topLevel = level
            return
        }
        vector.withUnsafeBufferPointer { query in
            var nearest = ScoredNode(similarity: similarity(query.baseAddress!, entryPoint), node: entryPoint)
            for upper in stride(from: topLevel, to: level, by: -1) {
                nearest = greedyClosest(query.baseAddress!, from: nearest, level: upper)
            }
            var entries = [nearest]
            for current in stride(from: min(level, topLevel), through: 0, by: -1) {
                let found = searchLevel(
                    query.baseAddress!, entries: entries, breadth: parameters.constructionBreadth, level: current, liveOnly: false,
                    visited: &visited)
                let chosen = selectNeighbours(found.sorted { $0.similarity > $1.similarity }, limit: parameters.neighbours)
                setLinks(of: node, level: current, to: chosen.map(\.node))
                for neighbour in chosen { link(neighbour.node, to: node, level: current) }
                entries = found
            }
        }
        if level > topLevel {
            entryPoint = node
            topLevel = level
        }
    }

    /// Tombstones `key`'s node; nothing happens when the key is absent.
    mutating func remove(_ key: String) {
        guard let node = nodeOfKey.removeValue(forKey: key) else { return }
        deleted[Int(node)] = true
        keys[Int(node)] = ""
        deletedCount += 1
    }

    private mutating func randomLevel() -> Int {
        let uniform = Double(generator.next() >> 11 | 1) / Double(1 << 53)
        return min(Int(-log(uniform) / log(Double(max(parameters.neighbours, 2)))), 16)
    }

    private mutating func setLinks(of node: Int32, level: Int, to links: [Int32]) {
        if level == 0 {
            let start = Int(node) * levelZeroStride
            levelZeroLinks[start] = Int32(links.count)
            for (offset, link) in links.enumerated() { levelZeroLinks[start + 1 + offset] = link }
        } else {
            upperLinks[Int(node)][level - 1] = links
        }
    }

    /// Adds a link from `node` to `target`; when `node` is full, keeps the best diverse set of the two.
    private mutating func link(_ node: Int32, to target: Int32, level: Int) {
        var links = neighbours(of: node, level: level)
        let capacity = level == 0 ? levelZeroCapacity : parameters.neighbours
        if links.count < capacity {
            links.append(target)
        } else {
            let scored = (links + [target]).map { ScoredNode(similarity: similarity(between: node, and: $0), node: $0) }
            links = selectNeighbours(scored.sorted { $0.similarity > $1.similarity }, limit: capacity).map(\.node)
        }
        setLinks(of: node, level: level, to: links)
    }

    // MARK: Search

    /// The `limit` live keys most similar to `query`, most similar first, keeping `breadth` candidates.
    func nearest(to query: [Float], limit: Int, breadth: Int, visited: inout VisitedNodes) -> [VectorMatch] {
        guard entryPoint >= 0, liveCount > 0, limit > 0 else { return [] }
        return query.withUnsafeBufferPointer { query in
            var nearest = ScoredNode(similarity: similarity(query.baseAddress!, entryPoint), node: entryPoint)
            for level in stride(from: topLevel, to: 0, by: -1) {
                nearest = greedyClosest(query.baseAddress!, from: nearest, level: level)
            }
            let found = searchLevel(
                query.baseAddress!, entries: [nearest], breadth: breadth, level: 0, liveOnly: true,
                visited: &visited)
            return found.sorted { $0.similarity > $1.similarity }.prefix(limit).map { VectorMatch(key: keys[Int($0.node)], similarity: $0.similarity) }
        }
    }

    /// Follows links on `level` to ever more similar nodes until none is more similar.
    private func greedyClosest(_ query: UnsafePointer<Float>, from start: ScoredNode, level: Int) -> ScoredNode {
        var best = start
        var improved = true
        while improved {
            improved = false
            for neighbour in neighbours(of: best.node, level: level) {
                let score = similarity(query, neighbour)
                if score > best.similarity {
                    best = ScoredNode(similarity: score, node: neighbour)
                    improved = true
                }
            }
        }
        return best
    }

    /// Best-first search on one level: the `breadth` most similar nodes reachable from `entries` (only live
    /// ones when `liveOnly`, though tombstones still route), in no particular order.
    private func searchLevel(
        _ query: UnsafePointer<Float>, entries: [ScoredNode], breadth: Int, level: Int, liveOnly: Bool, visited: inout VisitedNodes
    ) -> [ScoredNode] {
        visited.reset(count: keys.count)
        var candidates = SimilarityHeap(mostSimilarFirst: true, capacity: breadth * 2)
        var results = SimilarityHeap(mostSimilarFirst: false, capacity: breadth + 1)
        for entry in entries where visited.insert(entry.node) {
            candidates.push(entry)
            if !liveOnly || !deleted[Int(entry.node)] { results.push(entry) }
        }
        while results.count > breadth { results.pop() }
        while let candidate = candidates.pop() {
            if results.count >= breadth, let worst = results.top, candidate.similarity < worst.similarity { break }
            forEachNeighbour(of: candidate.node, level: level) { neighbour in
                guard visited.insert(neighbour) else { return }
                let score = similarity(query, neighbour)
                guard results.count < breadth || score > results.top!.similarity else { return }
                candidates.push(ScoredNode(similarity: score, node: neighbour))
                guard !liveOnly || !deleted[Int(neighbour)] else { return }
                results.push(ScoredNode(similarity: score, node: neighbour))
                if results.count > breadth { results.pop() }
            }
        }
        return results.elements
    }

    /// Malkov's heuristic: from candidates sorted most similar first, keeps one only if it is more similar to
    /// the base than to every one kept so far, so links spread in all directions instead of one cluster.
    private func selectNeighbours(_ candidates: [ScoredNode], limit: Int) -> [ScoredNode] {
        var chosen: [ScoredNode] = []
        for candidate in candidates {
            guard chosen.count < limit else { break }
            if chosen.allSatisfy({ similarity(between: candidate.node, and: $0.node) < candidate.similarity }) {
                chosen.append(candidate)
            }
        }
        return chosen
    }

    // MARK: Storage access

    private func neighbours(of node: Int32, level: Int) -> [Int32] {
        var links: [Int32] = []
        forEachNeighbour(of: node, level: level) { links.append($0) }
        return links
    }

    private func forEachNeighbour(of node: Int32, level: Int, _ body: (Int32) -> Void) {
        if level == 0 {
            let start = Int(node) * levelZeroStride
            levelZeroLinks.withUnsafeBufferPointer { links in
                for slot in 0..<Int(links[start]) { body(links[start + 1 + slot]) }
            }
        } else {
            for link in upperLinks[Int(node)][level - 1] { body(link) }
        }
    }

    private func similarity(_ query: UnsafePointer<Float>, _ node: Int32) -> Float {
        vectors.withUnsafeBufferPointer { DotProduct.compute(query, $0.baseAddress! + Int(node) * dimension, count: dimension) }
    }

    private func similarity(between a: Int32, and b: Int32) -> Float {
        vectors.withUnsafeBufferPointer {
            DotProduct.compute($0.baseAddress! + Int(a) * dimension, $0.baseAddress! + Int(b) * dimension, count: dimension)
        }
    }
}
