import Reprise

/// The text of an answer, as shadow verification compares it: the assistant's words and, for tool calls,
/// each tool's name and arguments, in every answer shape a cached route returns.
public enum AnswerText {
    /// The answer's text, or `nil` when the body has none (an error, an unknown shape).
    public static func of(_ body: JSONValue) -> String? {
        var parts: [String] = []
        if let choices = body["choices"]?.arrayValue, let first = choices.first {
            // Chat completions, then legacy completions.
            if let message = first["message"] {
                parts += texts(in: message["content"])
                for call in message["tool_calls"]?.arrayValue ?? [] {
                    parts.append(toolCall(name: call["function"]?["name"], arguments: call["function"]?["arguments"]))
                }
            } else if let text = first["text"]?.stringValue {
                parts.append(text)
            }
        } else if let output = body["output"]?.arrayValue {
            // The Responses API.
            for item in output {
                switch item["type"]?.stringValue {
                case "message": parts += texts(in: item["content"])
                case "function_call": parts.append(toolCall(name: item["name"], arguments: item["arguments"]))
                default: continue
                }
            }
        } else if let content = body["content"]?.arrayValue, body["type"]?.stringValue == "message" {
            // Anthropic Messages.
            for block in content {
                switch block["type"]?.stringValue {
                case "text": parts += block["text"]?.stringValue.map { [$0] } ?? []
                case "tool_use": parts.append(toolCall(name: block["name"], arguments: block["input"]))
                default: continue
                }
            }
        }
        let text = parts.joined(separator: "\n")
        return text.isEmpty ? nil : text
    }

    private static func texts(in content: JSONValue?) -> [String] {
        if let text = content?.stringValue { return [text] }
        return (content?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }
    }

    private static func toolCall(name: JSONValue?, arguments: JSONValue?) -> String {
        let argumentText: String
        if let text = arguments?.stringValue, let parsed = try? JSONParser.parse(Array(text.utf8)) {
            argumentText = parsed.canonicalText
        } else {
            argumentText = arguments?.canonicalText ?? ""
        }
        return "tool \(name?.stringValue ?? "?")(\(argumentText))"
    }
}
