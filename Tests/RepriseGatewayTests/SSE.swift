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

extension SSE {
    /// Every event's `event:` name (when it has one) and JSON payload, `[DONE]` left out.
    static func events(of text: String) -> [(name: String?, payload: JSONValue)] {
        text.split(separator: "\n\n").compactMap { block in
            var name: String?
            var data: [Substring] = []
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                if line.hasPrefix("data: ") { data.append(line.dropFirst(6)) }
            }
            guard !data.isEmpty, let payload = try? JSONParser.parse(data.joined(separator: "\n")) else { return nil }
            return (name, payload)
        }
    }

    /// The text of a text-completion stream (`/v1/completions`), pieces joined.
    static func completionText(of text: String) -> String {
        payloads(of: text).compactMap { $0["choices"]?.arrayValue?.first?["text"]?.stringValue }.joined()
    }

    /// The text of a Responses API stream, its `response.output_text.delta` events joined.
    static func outputTextDeltas(of text: String) -> String {
        events(of: text).filter { $0.payload["type"]?.stringValue == "response.output_text.delta" }
            .compactMap { $0.payload["delta"]?.stringValue }.joined()
    }

    /// The whole response a Responses API stream's `response.completed` event carries.
    static func completedResponse(of text: String) -> JSONValue? {
        events(of: text).last { $0.payload["type"]?.stringValue == "response.completed" }?.payload["response"]
    }

    /// The text of a whole Responses API answer: its `output_text` parts joined.
    static func outputText(ofResponse response: JSONValue) -> String {
        (response["output"]?.arrayValue ?? []).flatMap { $0["content"]?.arrayValue ?? [] }
            .filter { $0["type"]?.stringValue == "output_text" }.compactMap { $0["text"]?.stringValue }.joined()
    }
}
