/// A least-recently-used set of keys bounded by count or by bytes, for the simulation: it keeps no
/// answers, only keys, sizes and recency, in arrays rather than one allocation per entry.
struct SimulatedLRU: Sendable {
    private struct Node: Sendable {
        var key: UInt64
        var size: Int
        var previous: Int
        var next: Int
    }

    private let entryLimit: Int
    private let byteLimit: Int
    private var index: [UInt64: Int] = [:]
    private var nodes: [Node] = []
    private var free: [Int] = []
    private var head = -1
    private var tail = -1
    private var bytes = 0

    init(entryLimit: Int) {
        self.entryLimit = max(0, entryLimit)
        self.byteLimit = .max
    }

    init(byteLimit: Int) {
        self.entryLimit = .max
        self.byteLimit = max(0, byteLimit)
    }

    /// Whether `key` was held (a hit); either way it is now the most recently used, evicting others to fit.
    mutating func access(_ key: UInt64, size: Int) -> Bool {
        if let slot = index[key] {
            moveToFront(slot)
            return true
        }
        guard entryLimit > 0, size <= byteLimit else { return false }
        while index.count >= entryLimit || bytes + size > byteLimit, tail != -1 {
            evict(tail)
        }
        let node = Node(key: key, size: size, previous: -1, next: head)
        let slot: Int
        if let reused = free.popLast() {
            nodes[reused] = node
            slot = reused
        } else {
            nodes.append(node)
            slot = nodes.count - 1
        }
        if head != -1 { nodes[head].previous = slot }
        head = slot
        if tail == -1 { tail = slot }
        index[key] = slot
        bytes += size
        return false
    }

    private mutating func moveToFront(_ slot: Int) {
        guard slot != head else { return }
        unlink(slot)
        nodes[slot].previous = -1
        nodes[slot].next = head
        if head != -1 { nodes[head].previous = slot }
        head = slot
        if tail == -1 { tail = slot }
    }

    private mutating func evict(_ slot: Int) {
        unlink(slot)
        index.removeValue(forKey: nodes[slot].key)
        bytes -= nodes[slot].size
        free.append(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let previous = nodes[slot].previous
        let next = nodes[slot].next
        if previous != -1 { nodes[previous].next = next } else { head = next }
        if next != -1 { nodes[next].previous = previous } else { tail = previous }
    }
}
