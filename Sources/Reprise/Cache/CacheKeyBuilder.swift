import Crypto

/// Computes cache keys from request bodies, leaving out the fields that do not change an answer.
///
/// The key is `SHA-256(namespace ‖ 0x00 ‖ route ‖ 0x00 ‖ canonicalJSON(body − excluded fields))`:
/// - top-level ``excludedFields`` (by default `stream`, `stream_options`, `user`, `metadata`, `store`,
///   `service_tier`, `prompt_cache_key`, `safety_identifier`) are removed;
/// - provider prompt-cache markers (`cache_control`) are removed where the providers place them (the
///   request, `system` blocks, tools, messages, content blocks and the blocks of a `tool_result`), so a
///   prompt-cache breakpoint never splits the response cache; a member of that name anywhere else is data
///   and stays;
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

    /// The member name of provider prompt-cache markers.
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
        guard case .object(var members) = body else { return body }
        for field in excludedFields { members.removeValue(forKey: field) }
        Self.removeCacheMarkers(from: &members)
        return .object(members)
    }

    /// Removes provider cache markers from the places the providers define them, and nowhere else: the
    /// request itself, `system` blocks, `tools`, `messages`, their content blocks, and the blocks inside a
    /// `tool_result`. A member named `cache_control` anywhere else — a JSON schema property, a tool's
    /// input, a tool parameter — is the user's data and stays in the key.
    private static func removeCacheMarkers(from request: inout [String: JSONValue]) {
        request.removeValue(forKey: providerCacheMarker)
        for field in ["system", "tools"] {
            if let blocks = request[field], let cleaned = withoutMarkers(inEach: blocks) { request[field] = cleaned }
        }
        guard case .array(var messages) = request["messages"] else { return }
        var changed = false
        for index in messages.indices {
            guard case .object(var message) = messages[index] else { continue }
            var messageChanged = message.removeValue(forKey: providerCacheMarker) != nil
            if let content = message["content"], let cleaned = withoutMarkers(inEach: content, descendingInto: "tool_result") {
                message["content"] = cleaned
                messageChanged = true
            }
            if messageChanged {
                messages[index] = .object(message)
                changed = true
            }
        }
        if changed { request["messages"] = .array(messages) }
    }

    /// `blocks` with the marker removed from each object element, or `nil` when there was none to remove
    /// (so the common body without markers is walked, not copied); with `nestedType`, also from the
    /// `content` blocks of elements of that type.
    private static func withoutMarkers(inEach blocks: JSONValue, descendingInto nestedType: String? = nil) -> JSONValue? {
        guard case .array(var elements) = blocks else { return nil }
        var changed = false
        for index in elements.indices {
            guard case .object(var block) = elements[index] else { continue }
            var blockChanged = block.removeValue(forKey: providerCacheMarker) != nil
            if let nestedType, block["type"]?.stringValue == nestedType, let content = block["content"],
                let cleaned = withoutMarkers(inEach: content)
            {
                block["content"] = cleaned
                blockChanged = true
            }
            if blockChanged {
                elements[index] = .object(block)
                changed = true
            }
        }
        return changed ? .array(elements) : nil
    }
}
