import Reprise

/// Where an upstream base URL points: scheme, host and port, as the HTTP/1.1 client connects to them.
struct UpstreamEndpoint: Sendable, Equatable {
    /// Whether connections speak TLS (`https://`).
    var usesTLS: Bool
    /// The host name or IP address, without brackets for IPv6.
    var host: String
    var port: Int
    /// The `Host` header every request carries: the host, with the port when it is not the scheme's default.
    var hostHeader: String
    /// The base URL's path without a trailing slash (`/openai` in `https://gateway.example/openai`), put in
    /// front of every request's path; empty when the base URL has none.
    var basePath: String = ""

    /// Whether ``host`` is an IP address, which TLS's server name indication must not carry.
    var hostIsIPAddress: Bool {
        IPAddressLiteral.isAddress(host: host)
    }
}

extension UpstreamEndpoint {
    /// Parses `baseURL` (`http://host[:port][/path]` or `https://…`); the path becomes ``basePath``.
    /// - Returns: `nil` when the URL has no `http`/`https` scheme, no host, or a port out of range.
    init?(baseURL: String) {
        let usesTLS: Bool
        var rest: Substring
        if baseURL.lowercased().hasPrefix("https://") {
            usesTLS = true
            rest = baseURL.dropFirst("https://".count)
        } else if baseURL.lowercased().hasPrefix("http://") {
            usesTLS = false
            rest = baseURL.dropFirst("http://".count)
        } else {
            return nil
        }
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[slash...].prefix { $0 != "?" && $0 != "#" })
            while path.hasSuffix("/") { path.removeLast() }
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        let defaultPort = usesTLS ? 443 : 80
        var host: Substring
        var port = defaultPort
        if rest.hasPrefix("[") {
            // An IPv6 literal: `[::1]:8080`.
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") {
                guard let number = Int(after.dropFirst()) else { return nil }
                port = number
            } else if !after.isEmpty {
                return nil
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            guard let number = Int(rest[rest.index(after: colon)...]) else { return nil }
            port = number
        } else {
            host = rest
        }
        guard !host.isEmpty, (1...65535).contains(port) else { return nil }
        self.usesTLS = usesTLS
        self.host = String(host)
        self.port = port
        let shownHost = host.contains(":") ? "[\(host)]" : String(host)
        self.hostHeader = port == defaultPort ? shownHost : "\(shownHost):\(port)"
        self.basePath = path
    }
}
