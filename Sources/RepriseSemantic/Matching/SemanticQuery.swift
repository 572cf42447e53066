import Reprise

/// What a request contributes to a semantic lookup: the text of its last user turn, compared by meaning, and
/// the scope — a fingerprint of everything else, which must match exactly.
///
/// As ARCHITECTURE.md ("Semantic scope") requires, a semantic hit may differ from the cached request only in
/// the last user turn. The scope is the cache key (``CacheKeyBuilder``, same canonical JSON, same excluded
/// fields, same namespace and route) of the body with that turn's text replaced by a placeholder: model,
/// system prompt, earlier turns, tools and sampling parameters all enter it, so a follow-up such as "how old
/// is he?" never meets an answer from another conversation.
public struct SemanticQuery: Sendable, Hashable {
    /// The last user turn's text.
    public var text: String
    /// The context fingerprint: the index scope for this request.
    public var scope: String

    /// Stands in for the compared text inside the fingerprint.
    public static let placeholder: JSONValue = .string("\u{0}reprise:semantic-turn")

    /// The query of an OpenAI (chat, completions, Responses) or Anthropic body, or `nil` when the request has
    /// no plain-text last user turn (the last message is the assistant's or a tool result, or carries images),
    /// in which case only exact matching applies.
    ///
    /// `headers` are the request headers that enter the cache key (such as `anthropic-beta`); they enter
    /// the scope the same way.
    public init?(
        body: JSONValue, namespace: String, route: String, keyBuilder: CacheKeyBuilder = CacheKeyBuilder(),
        headers: [String: String] = [:]
    ) {
        guard let (text, scopeBody) = ChatTurns.lastUserTurn(in: body, replacingWith: Self.placeholder) else { return nil }
        self.init(text: text, scopeBody: scopeBody, namespace: namespace, route: route, keyBuilder: keyBuilder, headers: headers)
    }

    /// The query of a request whose provider found its last user turn: `text`, and `scopeBody`, the body
    /// with that text replaced by ``placeholder``.
    public init(
        text: String, scopeBody: JSONValue, namespace: String, route: String, keyBuilder: CacheKeyBuilder = CacheKeyBuilder(),
        headers: [String: String] = [:]
    ) {
        self.text = text
        self.scope = keyBuilder.key(namespace: namespace, route: route, body: scopeBody, headers: headers).hex
    }
}
