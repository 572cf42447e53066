import Crypto
import Reprise
import Testing

/// The key of Anthropic's `POST /v1/messages`: `metadata`, `stream` and every `cache_control` left out,
/// every field that can change the answer kept, and the `anthropic-beta` header after the body.
@Suite struct AnthropicCacheKeyTests {
    let builder = CacheKeyBuilder()
    static let route = "/v1/messages"
    static let beta = ["anthropic-beta": "files-api-2025-04-14,interleaved-thinking-2025-05-14"]

    static let body: JSONValue = [
        "model": "claude-sonnet-4-6", "max_tokens": 1024, "temperature": 0.5, "top_p": 0.9, "top_k": 40,
        "stop_sequences": ["END"], "thinking": ["type": "enabled", "budget_tokens": 2048],
        "system": [["type": "text", "text": "You are a librarian.", "cache_control": ["type": "ephemeral"]]],
        "tools": [["name": "search", "description": "Search the catalogue", "input_schema": ["type": "object"]]],
        "tool_choice": ["type": "auto"], "metadata": ["user_id": "u-1"], "stream": true,
        "messages": [
            ["role": "user", "content": [
                ["type": "text", "text": "Find this book."],
                ["type": "image", "source": ["type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="]],
                ["type": "document", "source": ["type": "text", "media_type": "text/plain", "data": "A catalogue."]],
            ]],
            ["role": "assistant", "content": [
                ["type": "thinking", "thinking": "Search for it.", "signature": "sig-1"],
                ["type": "tool_use", "id": "toolu_1", "name": "search", "input": ["query": "book"]],
            ]],
            ["role": "user", "content": [["type": "tool_result", "tool_use_id": "toolu_1", "content": "Shelf 4", "cache_control": ["type": "ephemeral", "ttl": "1h"]]]],
        ],
    ]

    func key(_ body: JSONValue, headers: [String: String] = beta) -> CacheKey {
        builder.key(namespace: "ns", route: Self.route, body: body, headers: headers)
    }

    /// `SHA-256("ns" ‖ 0x00 ‖ "/v1/messages" ‖ 0x00 ‖ canonical body [‖ 0x00 ‖ canonical headers])`; both hex
    /// values were computed outside Swift (Python's hashlib) over the bytes below.
    @Test func keyIsPinned() throws {
        let body = try JSONParser.parse(
            #"{"model":"claude-sonnet-4-6","max_tokens":256,"stream":true,"metadata":{"user_id":"u"},"temperature":1.0,"system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":[{"type":"text","text":"Hi","cache_control":{"type":"ephemeral"}}]}]}"#)
        let canonical = #"{"max_tokens":256,"messages":[{"content":[{"text":"Hi","type":"text"}],"role":"user"}],"model":"claude-sonnet-4-6","system":[{"text":"Be brief.","type":"text"}],"temperature":1}"#
        #expect(builder.keyedBody(body).canonicalText == canonical)
        #expect(builder.key(namespace: "ns", route: Self.route, body: body).hex == "36ec77e35ba83b9121416230bb6894c1ce1c56f790d292bbbc4c2c584de90e9e")
        #expect(key(body).hex == "4d28417127b5bd39b0909307e871f846a0254bf51419bab58454298a21e52770")
        // The header as a client sends it, normalized, is the one in the key.
        #expect(CacheKeyBuilder.keyedHeaderValue("interleaved-thinking-2025-05-14, files-api-2025-04-14") == Self.beta["anthropic-beta"])
        let headers = #"{"anthropic-beta":"files-api-2025-04-14,interleaved-thinking-2025-05-14"}"#
        let bytes = Array("ns".utf8) + [0] + Array(Self.route.utf8) + [0] + Array(canonical.utf8) + [0] + Array(headers.utf8)
        #expect(SHA256.hash(data: bytes).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() == key(body).hex)
    }

    static let topLevelChanges: [(String, JSONValue)] = [
        ("model", "claude-opus-4-6"), ("max_tokens", 512), ("temperature", 0.7), ("top_p", 0.5), ("top_k", 5),
        ("stop_sequences", ["STOP"]), ("thinking", ["type": "disabled"]), ("system", "You are a chef."), ("tools", []),
        ("tool_choice", ["type": "any"]),
    ]

    @Test(arguments: topLevelChanges)
    func answerChangingTopLevelFieldsChangeTheKey(field: String, value: JSONValue) {
        #expect(key(Self.body.setting(value, at: .member(field))) != key(Self.body), "\(field)")
    }

    @Test func everyMessageBlockTypeIsPartOfTheKey() {
        let changes: [[JSONPathStep]] = [
            ["messages", 0, "content", 0, "text"], ["messages", 0, "content", 1, "source", "data"],
            ["messages", 0, "content", 2, "source", "data"], ["messages", 1, "content", 0, "thinking"],
            ["messages", 1, "content", 1, "input"], ["messages", 2, "content", 0, "content"],
        ]
        for path in changes {
            #expect(key(Self.body.setting("changed", at: path)) != key(Self.body), "\(path)")
        }
    }

    @Test func metadataStreamAndCacheControlAreLeftOut() {
        var stripped = Self.body.removing(at: "metadata").removing(at: "stream")
        stripped = stripped.removing(at: "system", 0, "cache_control").removing(at: "messages", 2, "content", 0, "cache_control")
        #expect(key(stripped) == key(Self.body))
        #expect(key(Self.body.setting(["type": "ephemeral"], at: ["messages", 0, "content", 0, "cache_control"])) == key(Self.body))
    }

    @Test func theBetaHeaderIsPartOfTheKeyInOneNormalForm() {
        #expect(key(Self.body, headers: [:]) != key(Self.body))
        #expect(key(Self.body, headers: ["anthropic-beta": "files-api-2025-04-14"]) != key(Self.body))
        #expect(CacheKeyBuilder.keyedHeaderValue(" interleaved-thinking-2025-05-14 ,files-api-2025-04-14,,files-api-2025-04-14")
            == Self.beta["anthropic-beta"])
        #expect(CacheKeyBuilder.keyedHeaderValue(" , ") == nil)
    }
}
