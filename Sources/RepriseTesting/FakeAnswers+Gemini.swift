import Hummingbird
import Reprise

/// The fake upstream's Gemini answers: `generateContent` responses and `streamGenerateContent?alt=sse`
/// streams, with the same deterministic text the other shapes give, and Google's error shape.
extension FakeAnswers {
    /// The text of the last user content's text parts.
    static func lastGeminiUserText(_ body: JSONValue) -> String {
        let contents = body["contents"]?.arrayValue ?? []
        let user = contents.last { ($0["role"]?.stringValue ?? "user") == "user" } ?? contents.last
        return (user?["parts"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
    }

    static func geminiResponse(for body: JSONValue, model: String, identifier: Int) -> JSONValue {
        let text = answerText(to: lastGeminiUserText(body))
        let promptTokens = tokens((body["contents"]?.arrayValue ?? []).flatMap { ($0["parts"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue } }.joined(separator: " "))
        let outputTokens = tokens(text)
        return [
            "candidates": [[
                "content": ["parts": [["text": .string(text)]], "role": "model"], "finishReason": "STOP", "index": 0,
                "safetyRatings": [["category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"]],
            ]],
            "usageMetadata": [
                "promptTokenCount": .number(JSONNumber(promptTokens)), "candidatesTokenCount": .number(JSONNumber(outputTokens)),
                "totalTokenCount": .number(JSONNumber(promptTokens + outputTokens)),
            ],
            "modelVersion": .string(model), "responseId": .string("fake-gemini-\(identifier)"),
        ]
    }

    /// The response's events as `alt=sse` sends them: text in pieces, the last with the finish reason and usage.
    static func geminiStream(_ response: JSONValue) -> [String] {
        let candidate = response["candidates"]?.arrayValue?.first ?? [:]
        let text = candidate["content"]?["parts"]?.arrayValue?.first?["text"]?.stringValue ?? ""
        let identity: [String: JSONValue] = ["modelVersion": response["modelVersion"] ?? nil, "responseId": response["responseId"] ?? nil]
        var events: [JSONValue] = FakeStreams.pieces(of: text, size: 12).map { piece in
            .object(identity.merging(["candidates": [["content": ["parts": [["text": .string(piece)]], "role": "model"], "index": 0]]]) { $1 })
        }
        events.append(.object(identity.merging([
            "candidates": [["content": ["parts": [["text": ""]], "role": "model"], "finishReason": "STOP", "index": 0]],
            "usageMetadata": response["usageMetadata"] ?? nil,
        ]) { $1 }))
        return events.map { "data: \($0.canonicalText)\r\n\r\n" }
    }

    static func geminiError(status: Int, message: String) -> Response {
        let name: String
        switch status {
        case 400: name = "INVALID_ARGUMENT"
        case 401: name = "UNAUTHENTICATED"
        case 403: name = "PERMISSION_DENIED"
        case 404: name = "NOT_FOUND"
        case 429: name = "RESOURCE_EXHAUSTED"
        case 503: name = "UNAVAILABLE"
        default: name = status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION"
        }
        return json(["error": ["code": .number(JSONNumber(status)), "message": .string(message), "status": .string(name)]], status: .init(code: status))
    }
}
