/// Values bounded in bytes and, optionally, in number, the least recently used evicted first: a dictionary
/// into a doubly linked list kept in an array, most recently used at the head, so lookups, inserts and
/// evictions are constant time without allocation per operation once slots are reused. Inlinable, so that
/// other modules (the embedding cache, the analyzer's simulated caches) get it specialized for their types.
///
/// Not thread-safe: its owners keep it under a lock (``MemoryCacheStore``, the semantic layer's
/// embedding cache).
public struct ByteBoundedLRU<Key: Hashable, Value> {
    @usableFromInline
    struct Node {
        /// `nil` while the slot is free, so a removed value is released at once.
        @usableFromInline var key: Key?
        @usableFromInline var value: Value?
        @usableFromInline var size: Int
        @usableFromInline var previous: Int
        @usableFromInline var next: Int

        @inlinable
        init(key: Key?, value: Value?, size: Int, previous: Int, next: Int) {
            self.key = key
            self.value = value
            self.size = size
            self.previous = previous
            self.next = next
        }
    }

    @usableFromInline static var none: Int { -1 }

    /// The most the values may take, in the sizes their inserts declared.
    public let capacityBytes: Int
    /// The most values held at once.
    public let maximumCount: Int
    /// What the values take now.
    @inlinable public var bytes: Int { storedBytes }
    /// Values removed to make room for others.
    @inlinable public var evictions: Int { storedEvictions }
    @usableFromInline var storedBytes = 0
    @usableFromInline var storedEvictions = 0
    @usableFromInline var slots: [Key: Int] = [:]
    @usableFromInline var nodes: [Node] = []
    @usableFromInline var freeSlots: [Int] = []
    @usableFromInline var head = ByteBoundedLRU.none
    @usableFromInline var tail = ByteBoundedLRU.none

    @inlinable
    public init(capacityBytes: Int, maximumCount: Int = .max) {
        self.capacityBytes = max(0, capacityBytes)
        self.maximumCount = max(0, maximumCount)
    }

    /// How many values are held.
    @inlinable
    public var count: Int { slots.count }

    /// The value under `key`, leaving its place in the order unchanged.
    @inlinable
    public func peek(_ key: Key) -> Value? {
        slots[key].flatMap { nodes[$0].value }
    }

    /// The value under `key`, which becomes the most recently used.
    @inlinable
    public mutating func value(for key: Key) -> Value? {
        guard let slot = slots[key] else { return nil }
        unlink(slot)
        linkAtHead(slot)
        return nodes[slot].value
    }

    /// Stores `value` under `key` as the most recently used, replacing any value there and evicting the
    /// least recently used until `size` and the count fit; a value larger than the whole capacity is not
    /// stored (nor any, when ``maximumCount`` is 0).
    @inlinable
    public mutating func insert(_ value: Value, for key: Key, size: Int) {
        if let existing = slots[key] { remove(slot: existing) }
        guard size <= capacityBytes, maximumCount > 0 else { return }
        while size > capacityBytes - bytes || slots.count >= maximumCount, tail != Self.none {
            remove(slot: tail)
            storedEvictions += 1
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
        storedBytes += size
        linkAtHead(slot)
    }

    /// Removes the value under `key`.
    /// - Returns: the removed value, if there was one.
    @discardableResult
    @inlinable
    public mutating func removeValue(for key: Key) -> Value? {
        guard let slot = slots[key] else { return nil }
        let value = nodes[slot].value
        remove(slot: slot)
        return value
    }

    /// Removes every value `shouldRemove` picks.
    /// - Returns: how many were removed.
    @inlinable
    public mutating func removeAll(where shouldRemove: (Key, Value) -> Bool) -> Int {
        let doomed = slots.values.filter { slot in
            guard let key = nodes[slot].key, let value = nodes[slot].value else { return false }
            return shouldRemove(key, value)
        }
        for slot in doomed { remove(slot: slot) }
        return doomed.count
    }

    @inlinable
    mutating func remove(slot: Int) {
        unlink(slot)
        if let key = nodes[slot].key { slots.removeValue(forKey: key) }
        storedBytes -= nodes[slot].size
        nodes[slot].key = nil
        nodes[slot].value = nil
        freeSlots.append(slot)
    }

    @inlinable
    mutating func unlink(_ slot: Int) {
        let previous = nodes[slot].previous, next = nodes[slot].next
        if previous != Self.none { nodes[previous].next = next } else { head = next }
        if next != Self.none { nodes[next].previous = previous } else { tail = previous }
        nodes[slot].previous = Self.none
        nodes[slot].next = Self.none
    }

    @inlinable
    mutating func linkAtHead(_ slot: Int) {
        nodes[slot].next = head
        if head != Self.none { nodes[head].previous = slot }
        head = slot
        if tail == Self.none { tail = slot }
    }
}

extension ByteBoundedLRU: Sendable where Key: Sendable, Value: Sendable {}
extension ByteBoundedLRU.Node: Sendable where Key: Sendable, Value: Sendable {}
