import HTTPTypes
import HummingbirdTesting
import Reprise
import Testing

/// Request bodies and readers for Anthropic's Messages API in gateway tests.
enum Anthropic {
    static let version: HTTPFields = [HTTPField.Name("anthropic-version")!: "2023-06-01", HTTPField.Name("x-api-key")!: "sk-ant-test"]

    /// A one-turn Messages request.
    static func body(_ prompt: String, model: String = "claude-sonnet-4-5", stream: Bool = false, extra: [String: JSONValue] = [:]) -> String {
        var body: [String: JSONValue] = [
            "model": .string(model), "max_tokens": 256, "messages": [["role": "user", "content": .string(prompt)]],
        ]
        if stream { body["stream"] = true }
        body.merge(extra) { $1 }
        return JSONValue.object(body).canonicalText
    }

    /// The text of a message: its text blocks joined.
    static func text(ofMessage message: JSONValue) -> String {
        (message["content"]?.arrayValue ?? []).filter { $0["type"]?.stringValue == "text" }.compactMap { $0["text"]?.stringValue }.joined()
    }

    /// The text of a Messages stream: its `text_delta` fragments joined.
    static func streamedText(_ text: String) -> String {
        deltas(text, type: "text_delta", field: "text")
    }

    /// The fragments of one delta type joined, in order.
    static func deltas(_ text: String, type: String, field: String) -> String {
        SSE.events(of: text).filter { $0.payload["type"]?.stringValue == "content_block_delta" && $0.payload["delta"]?["type"]?.stringValue == type }
            .compactMap { $0.payload["delta"]?[field]?.stringValue }.joined()
    }

    /// The event types of a stream, in order.
    static func eventTypes(_ text: String) -> [String] {
        SSE.events(of: text).compactMap { $0.payload["type"]?.stringValue }
    }
}

extension TestResponse {
    /// Checks that the response is an error in Anthropic's shape `{"type": "error", "error": {"type", "message"}}`.
    func expectAnthropicError(
        status expectedStatus: HTTPResponse.Status, type: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(status == expectedStatus, sourceLocation: sourceLocation)
        let body = try json()
        #expect(body["type"]?.stringValue == "error", "body: \(text)", sourceLocation: sourceLocation)
        let error = try #require(body["error"]?.objectValue, "body: \(text)", sourceLocation: sourceLocation)
        #expect(Set(error.keys) == ["type", "message"], sourceLocation: sourceLocation)
        #expect(error["type"]?.stringValue == type, sourceLocation: sourceLocation)
        #expect(error["message"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
    }
}
