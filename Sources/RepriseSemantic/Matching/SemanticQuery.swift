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
    static let placeholder: JSONValue = .string("\u{0}reprise:semantic-turn")

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
        guard case .object(var members) = body, let (text, replaced) = Self.lastUserTurn(in: members) else { return nil }
        members[replaced.field] = replaced.value
        self.text = text
        self.scope = keyBuilder.key(namespace: namespace, route: route, body: .object(members), headers: headers).hex
    }

    /// The last user turn's text, and the field with that text replaced by the placeholder.
    private static func lastUserTurn(in members: [String: JSONValue]) -> (String, (field: String, value: JSONValue))? {
        if let messages = members["messages"]?.arrayValue {
            guard let (text, message) = userText(of: messages.last) else { return nil }
            return (text, ("messages", .array(messages.dropLast() + [message])))
        }
        for field in ["input", "prompt"] {
            guard let value = members[field] else { continue }
            if case .string(let text) = value { return (text, (field, placeholder)) }
            guard let items = value.arrayValue, items.last?.objectValue != nil, let (text, item) = userText(of: items.last) else { return nil }
            return (text, (field, .array(items.dropLast() + [item])))
        }
        return nil
    }

    /// The text of a user message whose content is a string or text parts only, and the message with it replaced.
    private static func userText(of message: JSONValue?) -> (String, JSONValue)? {
        guard case .object(var fields)? = message, (fields["role"]?.stringValue ?? "user") == "user", let content = fields["content"]
        else { return nil }
        let text: String
        switch content {
        case .string(let value):
            text = value
        case .array(let parts):
            let texts = parts.map { part -> String? in
                let type = part["type"]?.stringValue
                guard type == nil || type == "text" || type == "input_text" else { return nil }
                return part["text"]?.stringValue
            }
            guard !texts.isEmpty, texts.allSatisfy({ $0 != nil }) else { return nil }
            text = texts.compactMap { $0 }.joined(separator: "\n")
        default:
            return nil
        }
        fields["content"] = placeholder
        return (text, .object(fields))
    }
}
