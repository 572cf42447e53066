/// The words of a request that a person wrote or a program sent as the prompt, gathered from every
/// OpenAI request shape, so rules and the volatility detector can read them.
public struct PromptText: Sendable, Hashable {
    /// Every text of the request: system and developer instructions, all messages, prompts and inputs.
    public var all: String
    /// The texts a user wrote: `user` messages, completion prompts, embedding and Responses inputs.
    public var user: String

    public init(all: String, user: String) {
        self.all = all
        self.user = user
    }

    /// Extracts the texts of an OpenAI-shaped body (`messages`, `prompt`, `input`, `instructions`).
    public init(body: JSONValue) {
        var all: [String] = []
        var user: [String] = []
        if let instructions = body["instructions"]?.stringValue { all.append(instructions) }
        if let system = body["system"] { all.append(contentsOf: Self.texts(in: system)) }
        for message in body["messages"]?.arrayValue ?? [] {
            let texts = Self.texts(in: message["content"] ?? .null)
            all.append(contentsOf: texts)
            if message["role"]?.stringValue == "user" { user.append(contentsOf: texts) }
        }
        for field in ["prompt", "input"] {
            guard let value = body[field] else { continue }
            let texts = Self.inputTexts(in: value)
            all.append(contentsOf: texts.all)
            user.append(contentsOf: texts.user)
        }
        self.init(all: all.joined(separator: "\n"), user: user.joined(separator: "\n"))
    }

    /// The texts in message content: a string, or parts carrying `text`.
    public static func texts(in content: JSONValue) -> [String] {
        switch content {
        case .string(let text): return [text]
        case .array(let parts): return parts.flatMap { part -> [String] in
            if let text = part.stringValue { return [text] }
            if let text = part["text"]?.stringValue { return [text] }
            if let nested = part["content"] { return texts(in: nested) }
            return []
        }
        default: return []
        }
    }

    /// Texts in `prompt` or `input`: a string, strings, or Responses API items with roles.
    private static func inputTexts(in value: JSONValue) -> (all: [String], user: [String]) {
        switch value {
        case .string(let text): return ([text], [text])
        case .array(let items):
            var all: [String] = []
            var user: [String] = []
            for item in items {
                if let text = item.stringValue {
                    all.append(text)
                    user.append(text)
                } else if item.objectValue != nil {
                    let texts = texts(in: item["content"] ?? item["text"].map { .array([["text": $0]]) } ?? .null)
                    all.append(contentsOf: texts)
                    if (item["role"]?.stringValue ?? "user") == "user" { user.append(contentsOf: texts) }
                }
            }
            return (all, user)
        default: return ([], [])
        }
    }
}
