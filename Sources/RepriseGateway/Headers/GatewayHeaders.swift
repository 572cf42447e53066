import Foundation
import HTTPTypes

/// The headers the gateway reads and writes, for clients and tests.
extension HTTPField.Name {
    /// `Cache-Status` (RFC 9211).
    public static let cacheStatus = HTTPField.Name("Cache-Status")!
    /// `X-Reprise-Status`: `hit`, `semantic-hit`, `miss`, `coalesced`, `stale`, `bypass`, `shadow`.
    public static let repriseStatus = HTTPField.Name("X-Reprise-Status")!
    /// `X-Reprise-Key`: the entry's cache key.
    public static let repriseKey = HTTPField.Name("X-Reprise-Key")!
    /// `X-Reprise-TTL`: how long to store this answer, in seconds.
    public static let repriseTTL = HTTPField.Name("X-Reprise-TTL")!
    /// `X-Reprise-Namespace`: narrows the cache namespace.
    public static let repriseNamespace = HTTPField.Name("X-Reprise-Namespace")!
    /// `X-Reprise-Semantic`: `off`, `on` or a similarity threshold for this request.
    public static let repriseSemantic = HTTPField.Name("X-Reprise-Semantic")!
    /// `X-Reprise-Similarity`: on a semantic hit, how similar the request was to the entry's, 0 to 1.
    public static let repriseSimilarity = HTTPField.Name("X-Reprise-Similarity")!
    /// `X-Reprise-Matched-Key`: on a semantic hit, the key of the entry that answered.
    public static let repriseMatchedKey = HTTPField.Name("X-Reprise-Matched-Key")!
}

/// The `Cache-Status` value (RFC 9211) for one answer, with the cache named `reprise`.
struct CacheStatusValue {
    /// `reprise; hit; ttl=N`: served from the cache with N seconds left (negative for a stale entry).
    static func hit(remainingSeconds: Int, detail: String? = nil) -> String {
        var value = "reprise; hit; ttl=\(detail == nil ? max(0, remainingSeconds) : remainingSeconds)"
        if let detail { value += "; detail=\(quoted(detail))" }
        return value
    }

    /// `reprise; fwd=<reason>[; stored][; collapsed][; detail=…]`: forwarded upstream, or (collapsed)
    /// answered by another request's upstream call.
    static func forwarded(_ reason: ForwardReason, stored: Bool, collapsed: Bool = false, detail: String? = nil) -> String {
        var value = "reprise; fwd=\(reason.rawValue)"
        if stored { value += "; stored" }
        if collapsed { value += "; collapsed" }
        if let detail { value += "; detail=\(quoted(detail))" }
        return value
    }

    /// Why the request went upstream, in RFC 9211's vocabulary.
    enum ForwardReason: String {
        /// Nothing was cached under the key.
        case uriMiss = "uri-miss"
        /// The client asked to skip the cache (`no-cache`).
        case request
        /// An entry existed but was older than the client accepts.
        case stale
        /// The policy or the gateway's state skipped the cache.
        case bypass
    }

    private static func quoted(_ text: String) -> String {
        let isToken = text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) }
            && text.first?.isLetter == true
        if isToken { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
