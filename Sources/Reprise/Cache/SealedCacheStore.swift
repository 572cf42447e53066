import Crypto
import Foundation
import Synchronization

/// Encryption at rest: wraps another store so that what it holds cannot be read without the key.
///
/// Each entry is serialized and sealed with AES-256-GCM, authenticated together with its cache key, so a
/// value copied to another key does not open either. The wrapped store receives an entry whose body is the
/// sealed box and which keeps in the clear only what the store itself needs: the namespace and model
/// (for purges) and the creation time, time to live and stale retention (for expiry). Prompts never enter
/// an entry; answers, routes, usage and content types are sealed.
///
/// A value that does not open — sealed with another key, tampered with, stored before sealing was turned
/// on, or whose clear fields disagree with the sealed ones — reads as a miss and is counted in
/// ``CacheStoreStatistics/unreadableEntries``; it is never served.
public final class SealedCacheStore: CacheStore {
    /// The content type marking a sealed entry in the wrapped store.
    public static let sealedContentType = "application/vnd.reprise.sealed"

    private let sealed: any CacheStore
    private let key: SymmetricKey
    private let unreadable = Atomic<Int>(0)

    /// - Parameters:
    ///   - store: the store that holds the sealed entries.
    ///   - key: a 256-bit key.
    public init(wrapping store: any CacheStore, key: SymmetricKey) {
        self.sealed = store
        self.key = key
    }

    /// Reads a key given as base64 of 32 bytes.
    /// - Throws: ``CacheStoreError`` saying what is wrong, never echoing the value.
    public static func key(base64 text: String, source: String) throws -> SymmetricKey {
        guard let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CacheStoreError.unsupported("The store key in \(source) is not base64; expected 32 random bytes in base64 (openssl rand -base64 32).")
        }
        guard bytes.count == 32 else {
            throw CacheStoreError.unsupported("The store key in \(source) is \(bytes.count) bytes; expected 32 bytes in base64 (openssl rand -base64 32).")
        }
        return SymmetricKey(data: bytes)
    }

    public var countsEntriesExactly: Bool { sealed.countsEntriesExactly }

    public func entry(for key: CacheKey, allowingStaleness staleness: Duration) async throws -> CacheEntry? {
        guard let outer = try await sealed.entry(for: key, allowingStaleness: staleness) else { return nil }
        guard let inner = open(outer, for: key) else {
            unreadable.add(1, ordering: .relaxed)
            return nil
        }
        return inner
    }

    public func setEntry(_ entry: CacheEntry, for key: CacheKey) async throws {
        let box = try AES.GCM.seal(entry.serialized(), using: self.key, authenticating: Array(key.hex.utf8))
        guard let combined = box.combined else { return }
        let outer = CacheEntry(
            body: Array(combined), status: 200, contentType: Self.sealedContentType, model: entry.model,
            namespace: entry.namespace, route: "", createdAt: entry.createdAt, timeToLive: entry.timeToLive,
            staleRetention: entry.staleRetention)
        try await sealed.setEntry(outer, for: key)
    }

    @discardableResult
    public func removeEntry(for key: CacheKey) async throws -> Bool {
        try await sealed.removeEntry(for: key)
    }

    @discardableResult
    public func removeEntries(matching filter: CachePurgeFilter) async throws -> Int {
        try await sealed.removeEntries(matching: filter)
    }

    public func statistics() async throws -> CacheStoreStatistics {
        var statistics = try await sealed.statistics()
        statistics.unreadableEntries += unreadable.load(ordering: .relaxed)
        return statistics
    }

    private func open(_ outer: CacheEntry, for key: CacheKey) -> CacheEntry? {
        guard outer.contentType == Self.sealedContentType,
            let box = try? AES.GCM.SealedBox(combined: outer.body),
            let opened = try? AES.GCM.open(box, using: self.key, authenticating: Array(key.hex.utf8)),
            let inner = try? CacheEntry(serialized: Array(opened))
        else { return nil }
        let agrees = inner.namespace == outer.namespace && inner.model == outer.model && inner.createdAt == outer.createdAt
            && inner.timeToLive == outer.timeToLive && inner.staleRetention == outer.staleRetention
        return agrees ? inner : nil
    }
}
