/// How ``MemcachedCacheStore`` reaches its servers.
///
/// Keys and defaults:
/// - `servers` — required; keys are spread over them by consistent hashing.
/// - `connectionsPerServer` — 2; requests are pipelined over each connection.
/// - `maximumItemBytes` — 1 MiB, memcached's default item size limit (`-I`); larger entries are not
///   stored and are counted in ``Reprise/CacheStoreStatistics/oversizedEntries``, never truncated.
/// - `keyPrefix` — `reprise:`; lets several applications or test runs share servers.
/// - `connectTimeout` — 1 second.
/// - `virtualNodesPerServer` — 160 points per server on the hash ring.
public struct MemcachedConfiguration: Sendable, Hashable {
    public var servers: [MemcachedServer]
    public var connectionsPerServer: Int
    public var maximumItemBytes: Int
    public var keyPrefix: String
    public var connectTimeout: Duration
    public var virtualNodesPerServer: Int

    /// The longest key prefix accepted, so every key stays far within memcached's 250 bytes.
    public static let maximumKeyPrefixLength = 64

    public init(
        servers: [MemcachedServer], connectionsPerServer: Int = 2, maximumItemBytes: Int = 1024 * 1024,
        keyPrefix: String = "reprise:", connectTimeout: Duration = .seconds(1), virtualNodesPerServer: Int = 160
    ) {
        self.servers = servers
        self.connectionsPerServer = connectionsPerServer
        self.maximumItemBytes = maximumItemBytes
        self.keyPrefix = keyPrefix
        self.connectTimeout = connectTimeout
        self.virtualNodesPerServer = virtualNodesPerServer
    }

    /// The first problem with these settings, or `nil`.
    public var problem: String? {
        if servers.isEmpty { return "names no server" }
        if connectionsPerServer < 1 { return "needs at least one connection per server" }
        if maximumItemBytes < 1024 { return "has an item size limit below 1 KiB" }
        if virtualNodesPerServer < 1 { return "needs at least one point per server on the hash ring" }
        if keyPrefix.utf8.count > Self.maximumKeyPrefixLength {
            return "has a key prefix longer than \(Self.maximumKeyPrefixLength) bytes"
        }
        if !keyPrefix.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
            return "has a key prefix with spaces, control or non-ASCII characters: '\(keyPrefix)'"
        }
        return nil
    }
}
