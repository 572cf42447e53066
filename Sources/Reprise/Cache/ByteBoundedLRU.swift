/// Values bounded in bytes, the least recently used evicted first: a dictionary into a doubly linked list
/// kept in an array, most recently used at the head, so lookups, inserts and evictions are constant time
/// without allocation per operation once slots are reused.
///
/// Not thread-safe: its owners keep it under a lock (``MemoryCacheStore``, the semantic layer's
/// embedding cache).
public struct ByteBoundedLRU<Key: Hashable, Value> {
    private struct Node {
        /// `nil` while the slot is free, so a removed value is released at once.
        var key: Key?
        var value: Value?
        var size: Int
        var previous: Int
        var next: Int
    }

    private static var none: Int { -1 }

    /// The most the values may take, in the sizes their inserts declared.
    public let capacityBytes: Int
    /// What the values take now.
    public private(set) var bytes = 0
    /// Values removed to make room for others.
    public private(set) var evictions = 0
    private var slots: [Key: Int] = [:]
    private var nodes: [Node] = []
    private var freeSlots: [Int] = []
    private var head = ByteBoundedLRU.none
    private var tail = ByteBoundedLRU.none

    public init(capacityBytes: Int) {
        self.capacityBytes = max(0, capacityBytes)
    }

    /// How many values are held.
    public var count: Int { slots.count }

    /// The value under `key`, leaving its place in the order unchanged.
    public func peek(_ key: Key) -> Value? {
        slots[key].flatMap { nodes[$0].value }
    }

    /// The value under `key`, which becomes the most recently used.
    public mutating func value(for key: Key) -> Value? {
        guard let slot = slots[key] else { return nil }
        unlink(slot)
        linkAtHead(slot)
        return nodes[slot].value
    }

    /// Stores `value` under `key` as the most recently used, replacing any value there and evicting the
    /// least recently used until `size` fits; a value larger than the whole capacity is not stored.
    public mutating func insert(_ value: Value, for key: Key, size: Int) {
        if let existing = slots[key] { remove(slot: existing) }
        guard size <= capacityBytes else { return }
        while bytes + size > capacityBytes, tail != Self.none {
            remove(slot: tail)
            evictions += 1
        }
        let node = Node(key: key, value: value, size: size, previous: Self.none, next: Self.none)
        let slot: Int
        if let reused = freeSlots.popLast() {
            nodes[reused] = node
            slot = reused
        } else {
            nodes.append(node)
            slot = nodes.count - 1
        }
        slots[key] = slot
        bytes += size
        linkAtHead(slot)
    }

    /// Removes the value under `key`.
    /// - Returns: the removed value, if there was one.
    @discardableResult
    public mutating func removeValue(for key: Key) -> Value? {
        guard let slot = slots[key] else { return nil }
        let value = nodes[slot].value
        remove(slot: slot)
        return value
    }

    /// Removes every value `shouldRemove` picks.
    /// - Returns: how many were removed.
    public mutating func removeAll(where shouldRemove: (Key, Value) -> Bool) -> Int {
        let doomed = slots.values.filter { slot in
            guard let key = nodes[slot].key, let value = nodes[slot].value else { return false }
            return shouldRemove(key, value)
        }
        for slot in doomed { remove(slot: slot) }
        return doomed.count
    }

    private mutating func remove(slot: Int) {
        unlink(slot)
        if let key = nodes[slot].key { slots.removeValue(forKey: key) }
        bytes -= nodes[slot].size
        nodes[slot].key = nil
        nodes[slot].value = nil
        freeSlots.append(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let previous = nodes[slot].previous, next = nodes[slot].next
        if previous != Self.none { nodes[previous].next = next } else { head = next }
        if next != Self.none { nodes[next].previous = previous } else { tail = previous }
        nodes[slot].previous = Self.none
        nodes[slot].next = Self.none
    }

    private mutating func linkAtHead(_ slot: Int) {
        nodes[slot].next = head
        if head != Self.none { nodes[head].previous = slot }
        head = slot
        if tail == Self.none { tail = slot }
    }
}
