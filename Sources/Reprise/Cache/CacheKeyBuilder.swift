import Crypto

/// Computes cache keys from request bodies, leaving out the fields that do not change an answer.
///
/// The key is `SHA-256(namespace ‖ 0x00 ‖ route ‖ 0x00 ‖ canonicalJSON(body − excluded fields))`:
/// - top-level ``excludedFields`` (by default `stream`, `stream_options`, `user`, `metadata`, `store`,
///   `service_tier`, `prompt_cache_key`, `safety_identifier`) are removed;
/// - every member named `cache_control`, at any depth, is removed, so a provider prompt-cache breakpoint
///   never splits the response cache;
/// - everything else stays, including fields the gateway does not know, and an absent field is not the
///   same as one set to its default;
/// - request headers that change the answer (Anthropic's `anthropic-beta`) follow the body as
///   `0x00 ‖ canonicalJSON({name: value})`, only when there are any, so keys without them are unchanged.
public struct CacheKeyBuilder: Sendable {
    /// The top-level fields left out of every key by default.
    public static let defaultExcludedFields: Set<String> = [
        "stream", "stream_options", "user", "metadata", "store", "service_tier", "prompt_cache_key",
        "safety_identifier",
    ]

    /// The member name removed at every depth: provider prompt-cache markers.
    public static let providerCacheMarker = "cache_control"

    /// The top-level fields left out of the key.
    public var excludedFields: Set<String>

    public init(excludedFields: Set<String> = Self.defaultExcludedFields) {
        self.excludedFields = excludedFields
    }

    /// The key for `body` sent to `route` within `namespace`.
    /// - Complexity: O(n log n) in the size of the body.
    /// - Parameter headers: the answer-changing request headers by lower-cased name, their values as
    ///   ``keyedHeaderValue(_:)`` normalizes them; empty for routes that have none.
    public func key(namespace: String, route: String, body: JSONValue, headers: [String: String] = [:]) -> CacheKey {
        var hasher = SHA256()
        hasher.update(data: Array(namespace.utf8))
        hasher.update(data: [0])
        hasher.update(data: Array(route.utf8))
        hasher.update(data: [0])
        hasher.update(data: keyedBody(body).canonicalBytes)
        if !headers.isEmpty {
            hasher.update(data: [0])
            hasher.update(data: JSONValue.object(headers.mapValues(JSONValue.string)).canonicalBytes)
        }
        return CacheKey(digest: hasher.finalize())
    }

    /// A comma-separated header value in one form: items trimmed, empty ones dropped, duplicates removed,
    /// sorted; so `b, a` and `a,b,a` are the same `a,b`. `nil` when nothing is left.
    public static func keyedHeaderValue(_ value: String) -> String? {
        let items = Set(value.split(separator: ",").map { item in
            String(item.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        }.filter { !$0.isEmpty })
        return items.isEmpty ? nil : items.sorted().joined(separator: ",")
    }

    /// The body as it enters the key: excluded fields and provider cache markers removed.
    public func keyedBody(_ body: JSONValue) -> JSONValue {
        guard case .object(var members) = body else { return Self.withoutCacheMarkers(body) ?? body }
        for field in excludedFields { members.removeValue(forKey: field) }
        let trimmed = JSONValue.object(members)
        return Self.withoutCacheMarkers(trimmed) ?? trimmed
    }

    /// `value` without provider cache markers at any depth, or `nil` when it has none: subtrees without
    /// markers are shared, not copied, so the common body without markers costs one read-only walk.
    private static func withoutCacheMarkers(_ value: JSONValue) -> JSONValue? {
        switch value {
        case .object(let members):
            var result: [String: JSONValue]?
            if members[providerCacheMarker] != nil {
                result = members
                result?.removeValue(forKey: providerCacheMarker)
            }
            for (key, member) in members where key != providerCacheMarker {
                guard let replacement = withoutCacheMarkers(member) else { continue }
                if result == nil { result = members }
                result?[key] = replacement
            }
            return result.map(JSONValue.object)
        case .array(let elements):
            var result: [JSONValue]?
            for (index, element) in elements.enumerated() {
                guard let replacement = withoutCacheMarkers(element) else { continue }
                if result == nil { result = elements }
                result?[index] = replacement
            }
            return result.map(JSONValue.array)
        default:
            return nil
        }
    }
}
