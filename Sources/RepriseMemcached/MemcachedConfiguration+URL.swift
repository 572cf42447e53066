import Reprise

extension MemcachedConfiguration {
    /// Reads `memcached://host:port,host:port` (port 11211 when left out; IPv6 hosts in brackets).
    /// - Throws: ``Reprise/CacheStoreError`` naming the part of the URL that is wrong.
    public init(url: String) throws {
        let scheme = "memcached://"
        guard url.lowercased().hasPrefix(scheme) else {
            throw CacheStoreError.unsupported("The memcached store URL must start with 'memcached://', got '\(url)'.")
        }
        var rest = Substring(url.dropFirst(scheme.count))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty else {
            throw CacheStoreError.unsupported("The memcached store URL '\(url)' names no server; write memcached://host:port[,host:port…].")
        }
        var servers: [MemcachedServer] = []
        for part in rest.split(separator: ",", omittingEmptySubsequences: false) {
            servers.append(try Self.server(String(part), in: url))
        }
        guard Set(servers).count == servers.count else {
            throw CacheStoreError.unsupported("The memcached store URL '\(url)' names the same server twice.")
        }
        self.init(servers: servers)
    }

    private static func server(_ text: String, in url: String) throws -> MemcachedServer {
        func invalid(_ reason: String) -> CacheStoreError {
            .unsupported("The server '\(text)' in the memcached store URL '\(url)' \(reason).")
        }
        if text.contains("@") || text.contains("/") || text.contains("?") {
            throw invalid("has a user, path or query; memcached URLs are memcached://host:port[,host:port…]")
        }
        var host = Substring(text)
        var portText: Substring?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { throw invalid("opens an IPv6 address with '[' but never closes it") }
            let after = host[host.index(after: close)...]
            host = host[host.index(after: host.startIndex)..<close]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("has text after the IPv6 address") }
                portText = after.dropFirst()
            }
        } else if let colon = host.lastIndex(of: ":") {
            portText = host[host.index(after: colon)...]
            host = host[..<colon]
        }
        guard !host.isEmpty else { throw invalid("has no host") }
        guard let portText else { return MemcachedServer(host: String(host)) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw invalid("has the port '\(portText)', which is not a number from 1 to 65535")
        }
        return MemcachedServer(host: String(host), port: port)
    }
}
