import Synchronization

/// An in-memory cache of embeddings, least recently used evicted first, bounded in bytes.
///
/// Keys are (model, requested dimensions, text), so embedders of different models (or of one model asked
/// for different sizes) can share one cache. An entry costs its text's UTF-8 bytes plus four bytes per
/// component; a 1,536-dimension vector of a short text is about 6 KiB, so the default 64 MiB holds about
/// 10,000 of them.
public final class EmbeddingCache: Sendable {
    /// What the cache holds and how it has served.
    public struct Statistics: Sendable, Hashable {
        public var entries: Int
        public var bytes: Int
        public var capacityBytes: Int
        public var hits: Int
        public var misses: Int
        public var evictions: Int
    }

    /// Identifies one embedding.
    public struct Key: Sendable, Hashable {
        public var model: String
        public var dimensions: Int?
        public var text: String

        public init(model: String, dimensions: Int?, text: String) {
            self.model = model
            self.dimensions = dimensions
            self.text = text
        }

        var size: Int { model.utf8.count + text.utf8.count }
    }

    public static let defaultCapacityBytes = 64 << 20

    private let storage: Mutex<Storage>

    /// - Parameter capacityBytes: the most the entries may take; 0 disables caching.
    public init(capacityBytes: Int = EmbeddingCache.defaultCapacityBytes) {
        storage = Mutex(Storage(capacityBytes: max(0, capacityBytes)))
    }

    public var statistics: Statistics { storage.withLock { $0.statistics } }

    /// The cached vector of `key`, marking it recently used.
    ///
    /// - Complexity: O(1) on average.
    public func vector(for key: Key) -> [Float]? {
        storage.withLock { $0.vector(for: key) }
    }

    /// Stores `vector` under `key`, evicting the least recently used entries to make room.
    ///
    /// - Complexity: O(1) on average, plus O(1) per eviction.
    public func insert(_ vector: [Float], for key: Key) {
        storage.withLock { $0.insert(vector, for: key) }
    }
}

extension EmbeddingCache {
    /// A dictionary into a doubly linked list kept in an array, most recently used at the head.
    struct Storage {
        private struct Node {
            var key: Key
            var vector: [Float]
            var size: Int
            var previous: Int
            var next: Int
        }

        private static let none = -1
        let capacityBytes: Int
        private var slots: [Key: Int] = [:]
        private var nodes: [Node] = []
        private var freeSlots: [Int] = []
        private var head = Storage.none
        private var tail = Storage.none
        private var bytes = 0
        private var hits = 0
        private var misses = 0
        private var evictions = 0

        init(capacityBytes: Int) {
            self.capacityBytes = capacityBytes
        }

        var statistics: Statistics {
            Statistics(entries: slots.count, bytes: bytes, capacityBytes: capacityBytes, hits: hits, misses: misses, evictions: evictions)
        }

        mutating func vector(for key: Key) -> [Float]? {
            guard let slot = slots[key] else {
                misses += 1
                return nil
            }
            hits += 1
            unlink(slot)
            linkAtHead(slot)
            return nodes[slot].vector
        }

        mutating func insert(_ vector: [Float], for key: Key) {
            if let existing = slots[key] { remove(slot: existing) }
            let size = key.size + vector.count * MemoryLayout<Float>.size
            guard size <= capacityBytes else { return }
            while bytes + size > capacityBytes, tail != Self.none {
                remove(slot: tail)
                evictions += 1
            }
            let node = Node(key: key, vector: vector, size: size, previous: Self.none, next: Self.none)
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

        private mutating func remove(slot: Int) {
            unlink(slot)
            slots[nodes[slot].key] = nil
            bytes -= nodes[slot].size
            nodes[slot].vector = []
            nodes[slot].key.text = ""
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
}
