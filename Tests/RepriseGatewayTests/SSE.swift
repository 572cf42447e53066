import Reprise

/// Reads Server-Sent Events bodies in tests, as an SDK would.
enum SSE {
    /// The JSON payload of every `data:` line, `[DONE]` left out.
    static func payloads(of text: String) -> [JSONValue] {
        text.split(separator: "\n").compactMap { line -> JSONValue? in
            guard line.hasPrefix("data: "), line != "data: [DONE]" else { return nil }
            return try? JSONParser.parse(String(line.dropFirst(6)))
        }
    }

    /// The assistant text of a chat-completion stream, deltas joined.
    static func content(of text: String) -> String {
        payloads(of: text).compactMap { $0["choices"]?.arrayValue?.first?["delta"]?["content"]?.stringValue }.joined()
    }

    /// The first tool call of a chat-completion stream: id, name and joined arguments.
    static func toolCall(of text: String) -> (id: String?, name: String, arguments: String) {
        var id: String?
        var name = ""
        var arguments = ""
        for payload in payloads(of: text) {
            for call in payload["choices"]?.arrayValue?.first?["delta"]?["tool_calls"]?.arrayValue ?? [] {
                if let value = call["id"]?.stringValue { id = value }
                name += call["function"]?["name"]?.stringValue ?? ""
                arguments += call["function"]?["arguments"]?.stringValue ?? ""
            }
        }
        return (id, name, arguments)
    }

    /// The usage chunk's `usage`, if the stream has one.
    static func usage(of text: String) -> JSONValue? {
        payloads(of: text).first { $0["choices"]?.arrayValue?.isEmpty == true && $0["usage"] != nil && $0["usage"] != .null }?["usage"]
    }

    static func endsWithDone(_ text: String) -> Bool { text.hasSuffix("data: [DONE]\n\n") }
}
