/// The state of ``MemoryCacheStore``: a dictionary into a doubly linked list kept in an array, most
/// recently used at the head, so lookups, inserts and evictions are constant time without allocation
/// per operation once slots are reused.
struct LRUStorage {
    private struct Node {
        var key: String
        var entry: CacheEntry
        var size: Int
        var previous: Int
        var next: Int
    }

    private static let none = -1

    let capacityBytes: Int
    private var index: [String: Int] = [:]
    private var nodes: [Node] = []
    private var freeSlots: [Int] = []
    private var head = LRUStorage.none
    private var tail = LRUStorage.none
    private(set) var bytes = 0
    private var evictions = 0
    private var expirations = 0

    init(capacityBytes: Int) {
        self.capacityBytes = max(0, capacityBytes)
    }

    var statistics: CacheStoreStatistics {
        CacheStoreStatistics(
            entries: index.count, bytes: bytes, capacityBytes: capacityBytes, evictions: evictions,
            expirations: expirations)
    }

    mutating func entry(for key: String, now: EpochInstant, allowingStaleness staleness: Duration) -> CacheEntry? {
        guard let slot = index[key] else { return nil }
        let entry = nodes[slot].entry
        guard now < entry.retainedUntil else {
            remove(slot: slot)
            expirations += 1
            return nil
        }
        guard entry.isUsable(at: now, allowingStaleness: staleness) else { return nil }
        moveToHead(slot)
        return nodes[slot].entry
    }

    mutating func insert(_ entry: CacheEntry, for key: String) {
        if let existing = index[key] { remove(slot: existing) }
        let size = entry.approximateSize + key.utf8.count
        guard size <= capacityBytes else { return }
        while bytes + size > capacityBytes, tail != Self.none {
            remove(slot: tail)
            evictions += 1
        }
        let node = Node(key: key, entry: entry, size: size, previous: Self.none, next: head)
        let slot: Int
        if let reused = freeSlots.popLast() {
            nodes[reused] = node
            slot = reused
        } else {
            nodes.append(node)
            slot = nodes.count - 1
        }
        if head != Self.none { nodes[head].previous = slot }
        head = slot
        if tail == Self.none { tail = slot }
        index[key] = slot
        bytes += size
    }

    mutating func remove(_ key: String) -> Bool {
        guard let slot = index[key] else { return false }
        remove(slot: slot)
        return true
    }

    mutating func removeAll(where shouldRemove: (CacheEntry) -> Bool) -> Int {
        let doomed = index.values.filter { shouldRemove(nodes[$0].entry) }
        for slot in doomed { remove(slot: slot) }
        return doomed.count
    }

    mutating func removeExpired(now: EpochInstant) -> Int {
        let removed = removeAll { now >= $0.retainedUntil }
        expirations += removed
        return removed
    }

    private mutating func moveToHead(_ slot: Int) {
        guard slot != head else { return }
        unlink(slot)
        nodes[slot].previous = Self.none
        nodes[slot].next = head
        if head != Self.none { nodes[head].previous = slot }
        head = slot
        if tail == Self.none { tail = slot }
    }

    private mutating func remove(slot: Int) {
        unlink(slot)
        index.removeValue(forKey: nodes[slot].key)
        bytes -= nodes[slot].size
        // Release the body now rather than when the slot is reused.
        nodes[slot].entry.body = []
        nodes[slot].key = ""
        freeSlots.append(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let previous = nodes[slot].previous
        let next = nodes[slot].next
        if previous != Self.none { nodes[previous].next = next } else { head = next }
        if next != Self.none { nodes[next].previous = previous } else { tail = previous }
    }
}
