import NIOCore

/// Where the Redis store connects and how it behaves, usually read from a URL with ``init(url:)``.
///
/// | URL part | field | default |
/// | --- | --- | --- |
/// | `redis://`, `rediss://` (TLS) | ``topology``, ``tls`` | — |
/// | `redis+cluster://h:p,h:p`, `rediss+cluster://…` | ``topology`` = cluster seeds | — |
/// | `user:password@` | ``username``, ``password`` | none |
/// | `/db` | ``database`` (standalone only) | 0 |
/// | `?prefix=` | ``keyPrefix`` | `reprise:` |
/// | `?pool=` | ``connectionsPerNode`` | one per event loop (``defaultConnectionsPerNode``) |
/// | `?connect_timeout=` | ``connectTimeout`` (`5s`, `500ms`) | 5 s |
/// | `?timeout=` | ``commandTimeout`` | 5 s |
/// | `?max_entry_bytes=` | ``maximumEntryBytes`` | 8 MiB |
/// | `?tls_verify=false` | ``RedisTLS/verifiesCertificates`` | true |
/// | `?tls_ca=/path.pem` | ``RedisTLS/certificateAuthorityFile`` | system roots |
public struct RedisConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// One server, or the seed nodes of a Redis Cluster.
    public enum Topology: Sendable, Hashable {
        case standalone(RedisEndpoint)
        case cluster(seeds: [RedisEndpoint])
    }

    public var topology: Topology
    /// The ACL user; `nil` authenticates with the password alone (the `default` user).
    public var username: String?
    /// The password; `nil` sends no `AUTH`.
    public var password: String?
    /// The logical database selected on every connection (standalone only; a cluster has only 0).
    public var database: Int
    /// TLS settings; `nil` connects in plain text.
    public var tls: RedisTLS?
    /// Prepended to every key the store writes, so several deployments can share one server.
    public var keyPrefix: String
    /// Connections kept to each node; commands are pipelined over them.
    public var connectionsPerNode: Int
    /// How long establishing a connection (TCP, TLS, `AUTH`, `SELECT`) may take.
    public var connectTimeout: Duration
    /// How long one command may wait for its reply before the connection is dropped.
    public var commandTimeout: Duration
    /// Entries whose record is larger than this are not stored.
    public var maximumEntryBytes: Int

    /// The default key prefix.
    public static let defaultKeyPrefix = "reprise:"

    /// One connection per event loop of NIO's shared group (one per core): each loop's commands then go out
    /// together on its own connection, one write per batch. More connections per loop only split those
    /// batches — measured with 2 loops, 2 connections served about 4% more hits than 4, with a lower p99
    /// (docs/benchmarks.md).
    public static var defaultConnectionsPerNode: Int { max(1, NIOSingletons.groupLoopCountSuggestion) }

    public init(
        topology: Topology, username: String? = nil, password: String? = nil, database: Int = 0,
        tls: RedisTLS? = nil, keyPrefix: String = RedisConfiguration.defaultKeyPrefix, connectionsPerNode: Int = RedisConfiguration.defaultConnectionsPerNode,
        connectTimeout: Duration = .seconds(5), commandTimeout: Duration = .seconds(5),
        maximumEntryBytes: Int = 8 * 1024 * 1024
    ) {
        self.topology = topology
        self.username = username
        self.password = password
        self.database = database
        self.tls = tls
        self.keyPrefix = keyPrefix
        self.connectionsPerNode = connectionsPerNode
        self.connectTimeout = connectTimeout
        self.commandTimeout = commandTimeout
        self.maximumEntryBytes = maximumEntryBytes
    }

    /// The configuration with the password masked, safe to log.
    public var description: String {
        let nodes = switch topology {
        case .standalone(let endpoint): "\(endpoint)/\(database)"
        case .cluster(let seeds): "cluster " + seeds.map(\.description).joined(separator: ",")
        }
        let user = username.map { "\($0)@" } ?? (password == nil ? "" : "(password)@")
        return "redis\(tls == nil ? "" : "s")://\(user)\(nodes) prefix=\(keyPrefix)"
    }
}

/// A host and port.
public struct RedisEndpoint: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int = 6379) {
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// How the client speaks TLS (`rediss://`).
public struct RedisTLS: Sendable, Hashable {
    /// Whether the server's certificate chain and host name are checked. Turn off only for tests.
    public var verifiesCertificates: Bool
    /// A PEM file of certificate authorities to trust instead of the system's.
    public var certificateAuthorityFile: String?

    public init(verifiesCertificates: Bool = true, certificateAuthorityFile: String? = nil) {
        self.verifiesCertificates = verifiesCertificates
        self.certificateAuthorityFile = certificateAuthorityFile
    }
}
