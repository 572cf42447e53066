import Reprise
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
    /// The cached vectors, each costing its key's text and four bytes per component, and how lookups went.
    struct Storage {
        private var vectors: ByteBoundedLRU<Key, [Float]>
        private var hits = 0
        private var misses = 0

        init(capacityBytes: Int) {
            vectors = ByteBoundedLRU(capacityBytes: capacityBytes)
        }

        var statistics: Statistics {
            Statistics(
                entries: vectors.count, bytes: vectors.bytes, capacityBytes: vectors.capacityBytes, hits: hits, misses: misses,
                evictions: vectors.evictions)
        }

        mutating func vector(for key: Key) -> [Float]? {
            guard let vector = vectors.value(for: key) else {
                misses += 1
                return nil
            }
            hits += 1
            return vector
        }

        mutating func insert(_ vector: [Float], for key: Key) {
            vectors.insert(vector, for: key, size: key.size + vector.count * MemoryLayout<Float>.size)
        }
    }
}
