import Reprise

extension RedisConfiguration {
    /// Reads a configuration from a store URL:
    /// `redis://[user:password@]host[:port][/db][?options]`, `rediss://…` for TLS, and
    /// `redis+cluster://host:port,host:port[?options]` (or `rediss+cluster://`) for a Redis Cluster.
    ///
    /// User and password are percent-decoded; the options are listed on ``RedisConfiguration``.
    /// - Throws: ``RedisConfigurationError`` naming the part of the URL that is wrong (never the password).
    public init(url: String) throws(RedisConfigurationError) {
        guard let schemeEnd = Self.schemeSeparator(in: url) else {
            throw .init("'\(Self.redacted(url))' is not a Redis URL; expected redis://host:port, rediss://host:port or redis+cluster://host:port,host:port")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard let kind = Self.schemes[scheme] else {
            throw .init("Unknown Redis URL scheme '\(scheme)'; use redis, rediss, redis+cluster or rediss+cluster")
        }
        let (isCluster, usesTLS) = (kind.cluster, kind.tls)
        var rest = Substring(url[schemeEnd.upperBound...])
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            (username, password) = try Self.credentials(rest[..<at])
            rest = rest[rest.index(after: at)...]
        }
        let endpoints = try rest.split(separator: ",", omittingEmptySubsequences: false).map(Self.endpoint)
        guard !endpoints.isEmpty else { throw .init("The Redis URL names no host") }
        if !isCluster, endpoints.count > 1 {
            throw .init("The Redis URL names \(endpoints.count) hosts; a list of hosts needs the redis+cluster:// scheme")
        }
        var database = 0
        if !path.isEmpty {
            guard let number = Int(path), number >= 0 else {
                throw .init("The Redis URL's database '/\(path)' must be a non-negative number, such as /0")
            }
            guard !isCluster || number == 0 else {
                throw .init("A Redis Cluster has only database 0; remove '/\(path)' from the URL")
            }
            database = number
        }
        self.init(
            topology: isCluster ? .cluster(seeds: endpoints) : .standalone(endpoints[0]),
            username: username, password: password, database: database, tls: usesTLS ? RedisTLS() : nil)
        try applyOptions(query)
    }

    private static let schemes: [String: (cluster: Bool, tls: Bool)] = [
        "redis": (false, false), "rediss": (false, true), "redis+cluster": (true, false), "rediss+cluster": (true, true),
    ]

    private static func credentials(_ text: Substring) throws(RedisConfigurationError) -> (String?, String?) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let user = percentDecoded(parts[0]), let password = parts.count > 1 ? percentDecoded(parts[1]) : "" else {
            throw .init("The Redis URL's user or password has an invalid percent escape")
        }
        if parts.count == 1 {
            // `redis://secret@host` is the common short form for a password without a user.
            return (nil, user.isEmpty ? nil : user)
        }
        return (user.isEmpty ? nil : user, password.isEmpty ? nil : password)
    }

    private static func endpoint(_ text: Substring) throws(RedisConfigurationError) -> RedisEndpoint {
        var host = text
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .init("The IPv6 host '\(text)' lacks its closing ']'") }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .init("Unexpected '\(after)' after the host '[\(host)]'") }
                portText = after.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { throw .init("The Redis URL has an empty host in '\(text)'") }
        guard let portText else { return RedisEndpoint(host: String(host)) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw .init("The port '\(portText)' of host '\(host)' must be a number from 1 to 65535")
        }
        return RedisEndpoint(host: String(host), port: port)
    }

    private mutating func applyOptions(_ query: Substring) throws(RedisConfigurationError) {
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            guard let value = parts.count > 1 ? Self.percentDecoded(parts[1]) : "" else {
                throw .init("The Redis URL option '\(name)' has an invalid percent escape")
            }
            try applyOption(name, value)
        }
    }

    private mutating func applyOption(_ name: String, _ value: String) throws(RedisConfigurationError) {
        switch name {
        case "prefix":
            guard !value.contains("{"), !value.contains("}") else {
                throw .init("The key prefix '\(value)' must not contain '{' or '}'; they would change which cluster slot keys land in")
            }
            keyPrefix = value
        case "pool": connectionsPerNode = try Self.positive(name, value)
        case "max_entry_bytes": maximumEntryBytes = try Self.positive(name, value)
        case "connect_timeout": connectTimeout = try Self.duration(name, value)
        case "timeout": commandTimeout = try Self.duration(name, value)
        case "tls_verify", "tls_ca":
            guard var settings = tls else {
                throw .init("The Redis URL option '\(name)' needs TLS; use the rediss:// scheme")
            }
            if name == "tls_ca" {
                settings.certificateAuthorityFile = value
            } else {
                guard let flag = ["true": true, "false": false][value.lowercased()] else {
                    throw .init("The Redis URL option 'tls_verify' must be true or false, got '\(value)'")
                }
                settings.verifiesCertificates = flag
            }
            tls = settings
        default:
            throw .init("Unknown Redis URL option '\(name)'; known options: prefix, pool, connect_timeout, timeout, max_entry_bytes, tls_verify, tls_ca")
        }
    }

    private static func positive(_ name: String, _ value: String) throws(RedisConfigurationError) -> Int {
        guard let number = Int(value), number > 0 else {
            throw .init("The Redis URL option '\(name)' must be a positive whole number, got '\(value)'")
        }
        return number
    }

    private static func duration(_ name: String, _ value: String) throws(RedisConfigurationError) -> Duration {
        guard let duration = DurationText.parse(value), duration > .zero else {
            throw .init("The Redis URL option '\(name)' must be a positive duration such as 500ms or 5s, got '\(value)'")
        }
        return duration
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// Where `://` is in `url`.
    private static func schemeSeparator(in url: String) -> Range<String.Index>? {
        var index = url.startIndex
        while index < url.endIndex {
            if url[index...].hasPrefix("://") { return index..<url.index(index, offsetBy: 3) }
            index = url.index(after: index)
        }
        return nil
    }

    /// The URL with anything between `://` and `@` removed, so an error never quotes a password.
    private static func redacted(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@") else { return url }
        let start = schemeSeparator(in: url)?.upperBound ?? url.startIndex
        guard start <= at else { return url }
        return String(url[..<start]) + "…" + String(url[at...])
    }
}

/// A Redis URL that cannot be used, with a message naming the offending part.
public struct RedisConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    init(_ message: String) { self.message = message }

    public var description: String { message }
}
