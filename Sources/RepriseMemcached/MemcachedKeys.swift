import Crypto
import Reprise

/// The memcached keys the store uses, all short printable ASCII whatever the namespace or model:
/// memcached refuses keys over 250 bytes or with spaces or control characters, and a model name is
/// whatever a client typed.
///
/// - entry: `<prefix>e:<cache key hex>` (64 hex digits)
/// - generation: `<prefix>g:<first 32 hex digits of SHA-256(scope)>`
struct MemcachedKeys: Sendable {
    let prefix: String

    func entry(_ key: CacheKey) -> String { prefix + "e:" + key.hex }

    func generation(_ scope: PurgeScope) -> String {
        let digest = SHA256.hash(data: Array(scope.name.utf8))
        return prefix + "g:" + digest.prefix(16).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// A set of entries one purge can name: everything, a namespace (with the namespaces narrowed from it),
/// a model, or a namespace and a model together. Each has a generation counter in memcached; an entry
/// records the generations of every scope it belongs to when it is stored, and reads as a miss once any
/// of them has moved on.
struct PurgeScope: Hashable, Sendable {
    let name: String

    static let everything = PurgeScope(name: "all")

    static func namespace(_ namespace: String) -> PurgeScope { PurgeScope(name: "n\u{0}" + namespace) }
    static func model(_ model: String) -> PurgeScope { PurgeScope(name: "m\u{0}" + model) }
    static func namespace(_ namespace: String, model: String) -> PurgeScope {
        PurgeScope(name: "nm\u{0}" + namespace + "\u{0}" + model)
    }

    /// The scope a purge filter names.
    init(_ filter: CachePurgeFilter) {
        switch (filter.namespace, filter.model) {
        case (nil, nil): self = .everything
        case (let namespace?, nil): self = .namespace(namespace)
        case (nil, let model?): self = .model(model)
        case (let namespace?, let model?): self = .namespace(namespace, model: model)
        }
    }

    private init(name: String) { self.name = name }

    /// Every scope `entry` belongs to, in a fixed order: everything, each namespace it is narrowed from
    /// (`team`, `team.3f9a`), its model, and each of those namespaces with its model.
    static func scopes(of entry: CacheEntry) -> [PurgeScope] {
        var namespaces: [String] = []
        var prefix = ""
        for part in entry.namespace.split(separator: ".", omittingEmptySubsequences: false) {
            prefix = prefix.isEmpty && namespaces.isEmpty ? String(part) : prefix + "." + part
            namespaces.append(prefix)
        }
        return [.everything] + namespaces.map(PurgeScope.namespace) + [.model(entry.model)]
            + namespaces.map { .namespace($0, model: entry.model) }
    }
}
