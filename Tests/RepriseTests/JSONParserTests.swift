import Reprise
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse("true") == .bool(true))
        #expect(try JSONParser.parse("false") == .bool(false))
        #expect(try JSONParser.parse("-12.5e3") == .number(JSONNumber(-12_500)))
        #expect(try JSONParser.parse(#""text""#) == .string("text"))
        #expect(try JSONParser.parse("[]") == .array([]))
        #expect(try JSONParser.parse("{}") == .object([:]))
        #expect(try JSONParser.parse(" \t\r\n 7 \n") == 7)
    }

    @Test func parsesNestedDocuments() throws {
        let text = """
            {
              "model": "gpt-4o",
              "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": null}],
              "temperature": 0.5,
              "stream": false,
              "stop": ["\\n", "END"],
              "logit_bias": {"50256": -100}
            }
            """
        let expected: JSONValue = [
            "model": "gpt-4o",
            "messages": [["role": "user", "content": "Hi"], ["role": "assistant", "content": nil]],
            "temperature": 0.5,
            "stream": false,
            "stop": ["\n", "END"],
            "logit_bias": ["50256": -100],
        ]
        #expect(try JSONParser.parse(text) == expected)
    }

    @Test func aRepeatedKeyKeepsItsLastValue() throws {
        #expect(try JSONParser.parse(#"{"a": 1, "b": 2, "a": 3}"#) == ["a": 3, "b": 2])
    }

    @Test func readsRawUTF8Text() throws {
        #expect(try JSONParser.parse(#""héllo ✓ 日本 😀""#) == .string("héllo ✓ 日本 😀"))
    }

    @Test(arguments: [
        (#""\"""#, "\""), (#""\\""#, "\\"), (#""\/""#, "/"), (#""\b""#, "\u{08}"), (#""\f""#, "\u{0C}"),
        (#""\n""#, "\n"), (#""\r""#, "\r"), (#""\t""#, "\t"), (#""\u00e9""#, "é"), (#""\u00E9""#, "é"),
        (#""\u0000""#, "\u{0}"), (#""\u20AC""#, "€"), (#""\ud83d\ude00""#, "😀"), (#""\uD834\uDD1E""#, "𝄞"),
        (#""a\u0062c\td""#, "abc\td"), (#""\\u0041""#, "\\u0041"),
    ])
    func decodesEscapes(json: String, expected: String) throws {
        #expect(try JSONParser.parse(json) == .string(expected))
    }

    @Test func parsesFromBytesThatAreNotContiguous() throws {
        let bytes = Array(#"{"key": [1, "two", true]}"#.utf8)
        #expect(try JSONParser.parse(bytes.lazy.map { $0 }) == ["key": [1, "two", true]])
        #expect(try JSONParser.parse(bytes[...]) == ["key": [1, "two", true]])
    }

    @Test func acceptsNestingUpToTheLimit() throws {
        let depth = JSONParser.maximumDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        var value = try JSONParser.parse(text)
        var levels = 1
        while case .array(let elements) = value, let first = elements.first {
            value = first
            levels += 1
        }
        #expect(levels == depth)
    }

    @Test func rejectsNestingBeyondTheLimitWithAnErrorNotACrash() {
        for count in [JSONParser.maximumDepth + 1, 100_000] {
            let text = String(repeating: "[", count: count)
            let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
            #expect(error?.reason.contains("deeper than 512") == true)
            #expect(error?.column == JSONParser.maximumDepth + 1)
        }
        let objects = String(repeating: #"{"a":"#, count: 1_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(objects) }
    }

    struct InvalidDocument: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let line: Int
        let column: Int
        var testDescription: String { name }
    }

    static let invalidDocuments: [InvalidDocument] = [
        InvalidDocument(name: "empty input", text: "", line: 1, column: 1),
        InvalidDocument(name: "only white space", text: "  \n ", line: 2, column: 2),
        InvalidDocument(name: "trailing garbage", text: "{} x", line: 1, column: 4),
        InvalidDocument(name: "two documents", text: "[1] [2]", line: 1, column: 5),
        InvalidDocument(name: "leading zero", text: "01", line: 1, column: 2),
        InvalidDocument(name: "negative leading zero", text: "-01", line: 1, column: 3),
        InvalidDocument(name: "lone minus", text: "-", line: 1, column: 2),
        InvalidDocument(name: "plus sign", text: "+1", line: 1, column: 1),
        InvalidDocument(name: "fraction without digits", text: "1.", line: 1, column: 3),
        InvalidDocument(name: "point without integer", text: ".5", line: 1, column: 1),
        InvalidDocument(name: "exponent without digits", text: "1e+", line: 1, column: 4),
        InvalidDocument(name: "exponent too long", text: "1e1234567890", line: 1, column: 13),
        InvalidDocument(name: "NaN", text: "NaN", line: 1, column: 1),
        InvalidDocument(name: "Infinity", text: "[Infinity]", line: 1, column: 2),
        InvalidDocument(name: "truncated literal", text: "nul", line: 1, column: 1),
        InvalidDocument(name: "misspelt literal", text: "{\n  \"a\": 1,\n  \"b\": tru\n}", line: 3, column: 8),
        InvalidDocument(name: "trailing comma in array", text: "[1,]", line: 1, column: 4),
        InvalidDocument(name: "trailing comma in object", text: #"{"a":1,}"#, line: 1, column: 8),
        InvalidDocument(name: "missing comma", text: "[1 2]", line: 1, column: 4),
        InvalidDocument(name: "missing colon", text: #"{"a" 1}"#, line: 1, column: 6),
        InvalidDocument(name: "unquoted key", text: "{a:1}", line: 1, column: 2),
        InvalidDocument(name: "single quotes", text: "'a'", line: 1, column: 1),
        InvalidDocument(name: "unclosed array", text: "[1, 2", line: 1, column: 6),
        InvalidDocument(name: "unclosed object", text: "{\"a\": 1", line: 1, column: 8),
        InvalidDocument(name: "unterminated string", text: #""abc"#, line: 1, column: 5),
        InvalidDocument(name: "unterminated string after escape", text: #""a\n"#, line: 1, column: 5),
        InvalidDocument(name: "raw control character", text: "\"a\u{01}b\"", line: 1, column: 3),
        InvalidDocument(name: "raw newline in string", text: "[\n\"a\nb\"]", line: 2, column: 3),
        InvalidDocument(name: "raw tab in string", text: "\"a\tb\"", line: 1, column: 3),
        InvalidDocument(name: "invalid escape", text: #""\x""#, line: 1, column: 3),
        InvalidDocument(name: "invalid hex digit", text: #""\u12G4""#, line: 1, column: 6),
        InvalidDocument(name: "incomplete unicode escape", text: #""\u12""#, line: 1, column: 4),
        InvalidDocument(name: "lone high surrogate", text: #""\ud800""#, line: 1, column: 8),
        InvalidDocument(name: "lone low surrogate", text: #""\udc00""#, line: 1, column: 8),
        InvalidDocument(name: "high surrogate then letter", text: #""\ud800\u0041""#, line: 1, column: 14),
        InvalidDocument(name: "high surrogate then text", text: #""\ud83dxyz""#, line: 1, column: 8),
    ]

    @Test(arguments: invalidDocuments)
    func rejectsInvalidDocumentWithItsPosition(_ document: InvalidDocument) {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(document.text) }
        #expect(error?.line == document.line)
        #expect(error?.column == document.column)
        #expect(error?.description.hasSuffix("at line \(document.line), column \(document.column)") == true)
    }

    @Test(arguments: [
        [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0x61, 0x80, 0x62], [0xF4, 0x90, 0x80, 0x80],
    ] as [[UInt8]])
    func rejectsStringsThatAreNotUTF8(_ invalid: [UInt8]) {
        // `["x", "<invalid>"]`, and the same with an escape before the bytes (the parser's slower path).
        for prefix in [Array("[\"x\", \"".utf8), Array("[\"x\", \"\\n".utf8)] {
            let document = prefix + invalid + Array("\"]".utf8)
            let error = #expect(throws: JSONParseError.self) { try JSONParser.parse(document) }
            #expect(error?.reason == "Invalid UTF-8 in string")
            #expect(error?.column == 8, "the error points at the start of the string")
        }
    }

    @Test func errorOffsetCountsBytesFromTheStart() {
        let error = #expect(throws: JSONParseError.self) { try JSONParser.parse("{\"é\": 1,\n \"b\" 2}") }
        #expect(error?.offset == 15)
        #expect(error?.line == 2)
        #expect(error?.column == 6)
    }
}
