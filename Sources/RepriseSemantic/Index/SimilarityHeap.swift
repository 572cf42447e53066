/// A node of a graph index with its similarity to the query at hand.
struct ScoredNode {
    var similarity: Float
    var node: Int32
}

/// A binary heap of scored nodes, least similar on top, or most similar on top when `mostSimilarFirst`.
///
/// Non-generic so the graph search's inner loop compiles to plain comparisons.
struct SimilarityHeap {
    private(set) var elements: [ScoredNode] = []
    private let sign: Float

    init(mostSimilarFirst: Bool, capacity: Int = 0) {
        sign = mostSimilarFirst ? -1 : 1
        elements.reserveCapacity(capacity)
    }

    var count: Int { elements.count }
    var isEmpty: Bool { elements.isEmpty }
    var top: ScoredNode? { elements.first }

    private func precedes(_ a: Int, _ b: Int) -> Bool {
        sign * elements[a].similarity < sign * elements[b].similarity
    }

    /// - Complexity: O(log count).
    mutating func push(_ element: ScoredNode) {
        elements.append(element)
        var child = elements.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(child, parent) else { break }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    /// - Complexity: O(log count).
    @discardableResult
    mutating func pop() -> ScoredNode? {
        guard !elements.isEmpty else { return nil }
        elements.swapAt(0, elements.count - 1)
        let top = elements.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < elements.count, precedes(left, first) { first = left }
            if right < elements.count, precedes(right, first) { first = right }
            guard first != parent else { break }
            elements.swapAt(parent, first)
            parent = first
        }
        return top
    }
}

/// The nodes one search has visited, cleared in constant time by moving to a new generation.
struct VisitedNodes {
    private var marks: [UInt32] = []
    private var generation: UInt32 = 0

    /// Starts a new search over `count` nodes.
    mutating func reset(count: Int) {
        if marks.count < count { marks.append(contentsOf: repeatElement(0, count: count - marks.count)) }
        generation &+= 1
        if generation == 0 {
            for index in marks.indices { marks[index] = 0 }
            generation = 1
        }
    }

    /// Marks `node` visited; false when it already was.
    mutating func insert(_ node: Int32) -> Bool {
        if marks[Int(node)] == generation { return false }
        marks[Int(node)] = generation
        return true
    }
}
