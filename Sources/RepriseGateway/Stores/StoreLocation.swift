import Foundation
import Reprise

/// Where the gateway keeps its entries, as named by a store URL (`--store`, `REPRISE_STORE`,
/// `cache.store`):
///
/// | URL | store |
/// | --- | --- |
/// | `memory` | in this process, bounded by `cache.memory_capacity` (the default) |
/// | `sqlite:///var/lib/reprise/cache.db` | an SQLite file that survives restarts, bounded by `cache.store_capacity` |
/// | `memcached://host:port,host:port` | memcached servers shared by every replica |
/// | `redis://[user:password@]host:port[/db][?options]`, `rediss://…`, `redis+cluster://host:port,host:port` | Redis (options: docs/redis.md) |
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    case memory
    case sqlite(path: String)
    /// A memcached URL; `RepriseServer` checks it with the memcached client's parser and opens it.
    case memcached(url: String)
    /// A Redis URL; `RepriseServer` checks it with the Redis client's parser and opens it.
    case redis(url: String)

    /// Whether other gateways may use the same store (Redis, memcached), so that they must share the
    /// server secret for their namespaces to agree.
    public var isShared: Bool {
        switch self {
        case .memory, .sqlite: false
        case .memcached, .redis: true
        }
    }

    /// Reads a store URL: which kind of store it names. The URL's parts (servers, options) are checked by
    /// the store's own client when the composition root (`RepriseServer`) reads the settings.
    /// - Parameters:
    ///   - key: the configuration key or variable the URL came from, for the error message.
    ///   - source: the file, `the environment` or `a flag`.
    /// - Throws: ``Reprise/ConfigurationError`` naming the part of the URL that is wrong.
    public init(url: String, key: String = "cache.store", in source: String = "the configuration") throws {
        func invalid(_ reason: String) -> ConfigurationError {
            .invalidValue(key, in: source, reason: reason)
        }
        let text = url.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let schemeEnd = text.range(of: "://") else {
            guard text.lowercased() == "memory" else {
                throw invalid("must be 'memory' or a URL such as sqlite:///var/lib/reprise/cache.db or memcached://host:11211, got '\(url)'")
            }
            self = .memory
            return
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        let rest = String(text[schemeEnd.upperBound...])
        switch scheme {
        case "memory":
            guard rest.isEmpty else { throw invalid("is a memory store URL with more after 'memory://': '\(rest)'") }
            self = .memory
        case "sqlite":
            guard !rest.isEmpty else { throw invalid("names no file: write sqlite:///absolute/path.db, got '\(url)'") }
            guard !rest.contains("?"), !rest.contains("#") else {
                throw invalid("has a query or fragment in its path '\(rest)'; SQLite URLs are sqlite:///path/to/file.db")
            }
            self = .sqlite(path: rest)
        case "memcached":
            self = .memcached(url: text)
        case "redis", "rediss", "redis+cluster", "rediss+cluster":
            self = .redis(url: text)
        default:
            throw invalid("has the scheme '\(scheme)', which is not one of memory, sqlite, memcached, redis, rediss, redis+cluster, rediss+cluster")
        }
    }

    public var description: String {
        switch self {
        case .memory: "memory"
        case .sqlite(let path): "sqlite://\(path)"
        case .memcached(let url), .redis(let url): StoreURLText.withoutPassword(url)
        }
    }

    /// Whether the store is reached over the network (and so wrapped with deadlines and a circuit breaker).
    public var isNetworkStore: Bool {
        switch self {
        case .memory, .sqlite: false
        case .memcached, .redis: true
        }
    }
}

/// Store URLs in messages and logs.
public enum StoreURLText {
    /// `url` with any password replaced by `***`, for messages and logs.
    public static func withoutPassword(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"), let at = url.lastIndex(of: "@"), at > schemeEnd.upperBound else { return url }
        let userInfo = url[schemeEnd.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }
}
