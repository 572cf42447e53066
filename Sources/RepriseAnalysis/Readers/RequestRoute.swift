import Reprise

/// The API route of a logged request: from the URL the log gives, or from the shape of its body.
enum RequestRoute {
    /// The route every format falls back to.
    static let chatCompletions = "/v1/chat/completions"

    /// The path of `url` (`https://api.openai.com/v1/chat/completions?x=1` → `/v1/chat/completions`);
    /// `nil` when it has none.
    static func path(fromURL url: String) -> String? {
        var text = Substring(url.trimmingSpaces)
        if let scheme = text.firstRange(of: "://") {
            text = text[scheme.upperBound...]
            guard let slash = text.firstIndex(of: "/") else { return nil }
            text = text[slash...]
        }
        if let query = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = text[..<query] }
        guard !text.isEmpty else { return nil }
        return text.hasPrefix("/") ? String(text) : "/" + text
    }

    /// The route a body of this shape is sent to: Anthropic messages when it has top-level `system` or
    /// `anthropic_version`, chat completions for `messages`, text completions for `prompt`, embeddings or
    /// the Responses API for `input` (by model name).
    static func inferred(for body: JSONValue) -> String {
        if body["messages"] != nil {
            return body["system"] != nil || body["anthropic_version"] != nil ? "/v1/messages" : chatCompletions
        }
        if body["prompt"] != nil { return "/v1/completions" }
        if body["input"] != nil {
            return body["model"]?.stringValue?.contains("embed") == true ? "/v1/embeddings" : "/v1/responses"
        }
        return chatCompletions
    }
}
