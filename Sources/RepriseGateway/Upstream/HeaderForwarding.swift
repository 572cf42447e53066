import HTTPTypes
import NIOHTTP1
import Reprise

/// Which headers cross the gateway in each direction.
enum HeaderForwarding {
    /// Connection-level headers (RFC 9110 §7.6.1) and lengths the gateway recomputes.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "content-length", "host",
    ]

    /// The request headers sent upstream: the client's, minus hop-by-hop headers and the gateway's own
    /// `X-Reprise-*` controls; every credential header the provider's clients use replaced, when the gateway
    /// holds the upstream key, by the one the provider reads (``Provider/upstreamCredential``:
    /// `Authorization: Bearer` for OpenAI, `x-api-key` for Anthropic, …). Provider headers such as
    /// `anthropic-version` pass like any other.
    /// - Parameter cachedRoute: the request is on a cached route: its `Cache-Control` is the gateway's
    ///   to obey, not the upstream's, and `Accept-Encoding` is dropped so a cached body is plain bytes.
    static func upstreamHeaders(
        from fields: HTTPFields, upstreamAPIKey: String?, provider: any Provider, cachedRoute: Bool
    ) -> HTTPHeaders {
        let credentialHeaders = provider.credentialHeaders
        var headers = HTTPHeaders()
        headers.reserveCapacity(fields.count)
        for field in fields {
            let name = field.name.canonicalName
            if hopByHop.contains(name) || name.hasPrefix("x-reprise-") { continue }
            if cachedRoute, name == "accept-encoding" || name == "cache-control" { continue }
            if upstreamAPIKey != nil, credentialHeaders.contains(name) { continue }
            headers.add(name: field.name.rawName, value: field.value)
        }
        if let key = upstreamAPIKey, case .header(let name, let prefix) = provider.upstreamCredential {
            headers.add(name: name, value: prefix + key)
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
