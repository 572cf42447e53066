/// The last user turn of the chat shapes OpenAI and Anthropic share (`messages`, or the Responses API's
/// and completions' `input` / `prompt`), for semantic matching.
public enum ChatTurns {
    /// The last user turn's text, and `body` with that text replaced by `placeholder`; `nil` when the
    /// request has no plain-text last user turn (the last message is the assistant's or a tool result, or
    /// carries images).
    public static func lastUserTurn(in body: JSONValue, replacingWith placeholder: JSONValue) -> (text: String, body: JSONValue)? {
        guard case .object(var members) = body, let (text, field, value) = lastUserTurn(in: members, placeholder: placeholder) else {
            return nil
        }
        members[field] = value
        return (text, .object(members))
    }

    private static func lastUserTurn(in members: [String: JSONValue], placeholder: JSONValue) -> (String, String, JSONValue)? {
        if let messages = members["messages"]?.arrayValue {
            guard let (text, message) = userText(of: messages.last, placeholder: placeholder) else { return nil }
            return (text, "messages", .array(messages.dropLast() + [message]))
        }
        for field in ["input", "prompt"] {
            guard let value = members[field] else { continue }
            if case .string(let text) = value { return (text, field, placeholder) }
            guard let items = value.arrayValue, items.last?.objectValue != nil,
                let (text, item) = userText(of: items.last, placeholder: placeholder)
            else { return nil }
            return (text, field, .array(items.dropLast() + [item]))
        }
        return nil
    }

    /// The text of a user message whose content is a string or text parts only, and the message with it
    /// replaced.
    private static func userText(of message: JSONValue?, placeholder: JSONValue) -> (String, JSONValue)? {
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
