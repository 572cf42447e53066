import Crypto
import Reprise
import Testing

@Suite struct CacheKeyTests {
    static let route = "/v1/chat/completions"
    static let namespace = "0123456789abcdef0123456789abcdef"
    let builder = CacheKeyBuilder()

    func key(_ body: JSONValue, namespace: String = Self.namespace, route: String = Self.route) -> CacheKey {
        builder.key(namespace: namespace, route: route, body: body)
    }

    func key(_ text: String) throws -> CacheKey {
        key(try JSONParser.parse(text))
    }

    // MARK: - The key's form

    @Test func keyIsSixtyFourLowerCaseHexDigits() {
        let hex = key(ChatRequestSample.body).hex
        #expect(hex.count == 64)
        #expect(hex.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(CacheKey(hex: hex) == key(ChatRequestSample.body))
        #expect(CacheKey(hex: hex.uppercased())?.hex == hex)
        #expect(CacheKey(hex: String(hex.dropLast())) == nil)
        #expect(CacheKey(hex: String(hex.dropLast()) + "g") == nil)
        #expect(key(ChatRequestSample.body).description == hex)
    }

    /// The spec's byte layout, pinned: `SHA-256("ns" ‖ 0x00 ‖ route ‖ 0x00 ‖ canonical body)`. The hex value
    /// was computed outside Swift over the bytes below; swift-crypto recomputes it here from the same bytes.
    @Test func keyIsSHA256OverNamespaceRouteAndCanonicalBody() throws {
        let body = try JSONParser.parse(#"{"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}], "temperature": 1.0, "stream": true}"#)
        let canonical = #"{"messages":[{"content":"Hi","role":"user"}],"model":"gpt-4o","temperature":1}"#
        #expect(builder.keyedBody(body).canonicalText == canonical)

        let bytes = Array("ns".utf8) + [0] + Array("/v1/chat/completions".utf8) + [0] + Array(canonical.utf8)
        let independent = SHA256.hash(data: bytes).map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
        let pinned = "16ce6392abe66ef4f2f4847947bbaa59a2f1c1e7e0d23cbdb542fd7ea012c801"
        #expect(independent == pinned)
        #expect(builder.key(namespace: "ns", route: "/v1/chat/completions", body: body).hex == pinned)
    }

    @Test func keyIsStableAcrossBuildersAndCalls() {
        let first = CacheKeyBuilder().key(namespace: "ns", route: Self.route, body: ChatRequestSample.body)
        let second = CacheKeyBuilder().key(namespace: "ns", route: Self.route, body: ChatRequestSample.body)
        #expect(first == second)
    }

    // MARK: - Spelling does not change the key

    @Test func keyOrderWhiteSpaceNumberSpellingAndEscapesDoNotChangeTheKey() throws {
        #expect(try key(ChatRequestSample.equivalentText) == key(ChatRequestSample.text))
    }

    @Test func keyOrderDoesNotChangeTheKey() throws {
        #expect(try key(#"{"a": 1, "b": {"c": 2, "d": 3}}"#) == key(#"{"b": {"d": 3, "c": 2}, "a": 1}"#))
    }

    @Test func whiteSpaceDoesNotChangeTheKey() throws {
        #expect(try key("{\"a\":[1,2],\"b\":\"x y\"}") == key("\n{ \"a\" :\t[ 1 ,\r\n 2 ] , \"b\" : \"x y\" }\n"))
    }

    @Test(arguments: ["1.0", "1e0", "10e-1", "1.00E+0", "0.1e1"])
    func numberSpellingDoesNotChangeTheKey(_ spelling: String) throws {
        #expect(try key(#"{"temperature": \#(spelling)}"#) == key(#"{"temperature": 1}"#))
    }

    @Test func arrayOrderChangesTheKey() throws {
        #expect(try key(#"{"stop": ["a", "b"]}"#) != key(#"{"stop": ["b", "a"]}"#))
    }

    // MARK: - Absent is not default

    @Test func absentFieldIsNotTheSameAsItsDefault() {
        let base = ChatRequestSample.body.removing(at: "temperature")
        #expect(key(base) != key(base.setting(0, at: "temperature")))
        #expect(key(base) != key(base.setting(1, at: "temperature")))
        let withoutN = base.removing(at: "n")
        #expect(withoutN.objectValue?.keys.contains("n") == false)
        #expect(key(withoutN) != key(base), "n: 1 is the provider's default, yet not the same as no n")
        #expect(key(withoutN) != key(withoutN.setting(.null, at: "n")), "null is not absent")
    }

    // MARK: - Namespace and route

    @Test func namespaceChangesTheKey() {
        #expect(key(ChatRequestSample.body, namespace: "a") != key(ChatRequestSample.body, namespace: "b"))
        #expect(key(ChatRequestSample.body, namespace: "team") != key(ChatRequestSample.body, namespace: "team.1234"))
    }

    @Test func routeChangesTheKey() {
        #expect(key(ChatRequestSample.body, route: "/v1/chat/completions") != key(ChatRequestSample.body, route: "/v1/completions"))
    }

    @Test func separatorsKeepNamespaceAndRouteApart() {
        let body: JSONValue = ["model": "gpt-4o"]
        #expect(key(body, namespace: "ab", route: "/c") != key(body, namespace: "a", route: "b/c"))
        #expect(key(body, namespace: "a", route: "") != key(body, namespace: "", route: "a"))
    }

    // MARK: - Excluded fields

    @Test(arguments: [
        ("stream", true), ("stream", false), ("stream_options", ["include_usage": true]), ("user", "user-1234"),
        ("metadata", ["trace": "abc", "team": "search"]), ("store", true), ("service_tier", "flex"),
        ("prompt_cache_key", "tenant-7"), ("safety_identifier", "f3a9c0"),
    ] as [(String, JSONValue)])
    func excludedFieldDoesNotChangeTheKey(field: String, value: JSONValue) {
        #expect(key(ChatRequestSample.body.setting(value, at: .member(field))) == key(ChatRequestSample.body))
    }

    @Test func allExcludedFieldsTogetherDoNotChangeTheKey() {
        var body = ChatRequestSample.body
        for field in CacheKeyBuilder.defaultExcludedFields { body = body.setting("anything", at: .member(field)) }
        #expect(key(body) == key(ChatRequestSample.body))
    }

    @Test func excludedNamesInsideTheBodyStillCount() {
        let nested = ChatRequestSample.body.setting(["type": "string"], at: "tools", 0, "function", "parameters", "properties", "user")
        #expect(key(nested) != key(ChatRequestSample.body))
    }

    @Test func customExcludedListReplacesTheDefault() {
        let custom = CacheKeyBuilder(excludedFields: ["temperature", "seed"])
        func customKey(_ body: JSONValue) -> CacheKey { custom.key(namespace: "ns", route: Self.route, body: body) }
        let base = ChatRequestSample.body
        #expect(customKey(base.setting(0.1, at: "temperature")) == customKey(base))
        #expect(customKey(base.setting(7, at: "seed")) == customKey(base))
        #expect(customKey(base.setting(true, at: "stream")) != customKey(base))
        #expect(customKey(base.setting(["type": "ephemeral"], at: "messages", 0, "cache_control")) == customKey(base))
        #expect(custom.keyedBody(base)["temperature"] == nil)
        #expect(custom.keyedBody(base)["model"] == "gpt-4o")
    }

    // MARK: - Provider cache markers

    static let anthropicText = #"""
        {"model": "claude-sonnet-4-5", "max_tokens": 1024,
         "system": [{"type": "text", "text": "You answer questions about the attached contract."}],
         "messages": [{"role": "user", "content": [
           {"type": "text", "text": "Here is the contract: ..."},
           {"type": "text", "text": "Who are the parties?"}]}],
         "tools": [{"name": "search", "input_schema": {"type": "object"}}]}
        """#

    @Test(arguments: [
        ["cache_control"] as [JSONPathStep], ["system", 0, "cache_control"], ["messages", 0, "content", 0, "cache_control"],
        ["messages", 0, "content", 1, "cache_control"], ["messages", 0, "cache_control"], ["tools", 0, "cache_control"],
    ])
    func cacheControlWhereProvidersPlaceItDoesNotChangeTheKey(_ path: [JSONPathStep]) throws {
        let body = try JSONParser.parse(Self.anthropicText)
        let marked = body.setting(["type": "ephemeral", "ttl": "1h"], at: path)
        #expect(key(marked, route: "/v1/messages") == key(body, route: "/v1/messages"))
    }

    @Test func movingACacheBreakpointDoesNotChangeTheKey() throws {
        let body = try JSONParser.parse(Self.anthropicText)
        let early = body.setting(["type": "ephemeral"], at: "system", 0, "cache_control")
        let late = body.setting(["type": "ephemeral"], at: "messages", 0, "content", 0, "cache_control")
        #expect(key(early, route: "/v1/messages") == key(late, route: "/v1/messages"))
    }

    @Test func aMarkerInsideAToolResultsBlocksDoesNotChangeTheKey() throws {
        let body = try JSONParser.parse(#"""
            {"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": [
              {"type": "tool_result", "tool_use_id": "toolu_1", "content": [{"type": "text", "text": "Shelf 4"}]}]}]}
            """#)
        let marked = body.setting(["type": "ephemeral"], at: "messages", 0, "content", 0, "content", 0, "cache_control")
        #expect(key(marked, route: "/v1/messages") == key(body, route: "/v1/messages"))
    }

    /// A member named `cache_control` in the user's own data is part of what the request means.
    @Test(arguments: [
        ["tools", 0, "input_schema", "cache_control"] as [JSONPathStep],
        ["tools", 0, "input_schema", "properties", "cache_control"],
        ["messages", 0, "content", 0, "input", "cache_control"],
        ["messages", 0, "content", 0, "content", "cache_control"],
        ["metadata_like", "cache_control"],
    ])
    func cacheControlInsideUserDataChangesTheKey(_ path: [JSONPathStep]) throws {
        let body = try JSONParser.parse(#"""
            {"model": "claude-sonnet-4-5", "max_tokens": 64,
             "messages": [{"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_1", "name": "lookup",
                           "input": {"q": "x"}, "content": {}}]}],
             "tools": [{"name": "lookup", "input_schema": {"type": "object", "properties": {}}}], "metadata_like": {}}
            """#)
        let asString = body.setting(["type": "string"], at: path)
        let asInteger = body.setting(["type": "integer"], at: path)
        #expect(key(asString, route: "/v1/messages") != key(body, route: "/v1/messages"))
        #expect(key(asString, route: "/v1/messages") != key(asInteger, route: "/v1/messages"))
    }

    @Test func aBodyThatIsNotAnObjectIsKeyedAsItIs() {
        let marked: JSONValue = [["text": "a", "cache_control": ["type": "ephemeral"]]]
        #expect(key(marked) != key([["text": "a"]]))
    }
}

@Suite struct CacheKeyRawBytesTests {
    @Test func keysSurviveTheirRawForm() {
        let key = CacheKey(hex: "0123456789abcdef00ff10e0" + String(repeating: "7", count: 40))!
        #expect(key.rawBytes.count == 32)
        #expect(key.rawBytes.prefix(4) == [0x01, 0x23, 0x45, 0x67])
        #expect(CacheKey(rawBytes: key.rawBytes) == key)
    }
}
