import HTTPTypes
import NIOHTTP1

/// Which headers cross the gateway in each direction.
enum HeaderForwarding {
    /// Connection-level headers (RFC 9110 §7.6.1) and lengths the gateway recomputes.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "content-length", "host",
    ]

    /// The request headers sent upstream: the client's, minus hop-by-hop headers and the gateway's own
    /// `X-Reprise-*` controls; every credential header the client may have used (`Authorization`,
    /// `api-key`, `x-api-key`) replaced, when the gateway holds the upstream key, by the one the provider
    /// reads: `Authorization: Bearer` for OpenAI, `x-api-key` for Anthropic. Anthropic's
    /// `anthropic-version` and `anthropic-beta` pass like any other header.
    /// - Parameter cachedRoute: the request is on a cached route: its `Cache-Control` is the gateway's
    ///   to obey, not the upstream's, and `Accept-Encoding` is dropped so a cached body is plain bytes.
    static func upstreamHeaders(
        from fields: HTTPFields, upstreamAPIKey: String?, provider: UpstreamProvider = .openAI, cachedRoute: Bool
    ) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.reserveCapacity(fields.count)
        for field in fields {
            let name = field.name.canonicalName
            if hopByHop.contains(name) || name.hasPrefix("x-reprise-") { continue }
            if cachedRoute, name == "accept-encoding" || name == "cache-control" { continue }
            if upstreamAPIKey != nil, name == "authorization" || name == "api-key" || name == "x-api-key" { continue }
            headers.add(name: field.name.rawName, value: field.value)
        }
        switch (upstreamAPIKey, provider) {
        case (let key?, .openAI): headers.add(name: "Authorization", value: "Bearer \(key)")
        case (let key?, .anthropic): headers.add(name: "x-api-key", value: key)
        case (nil, _): break
        }
        return headers
    }

    /// The upstream's response headers passed to the client, minus hop-by-hop headers.
    static func clientHeaders(from headers: HTTPHeaders) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in headers where !hopByHop.contains(name.lowercased()) {
            if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
        }
        return fields
    }
}
