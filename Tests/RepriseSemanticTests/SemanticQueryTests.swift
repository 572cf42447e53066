import Reprise
import RepriseSemantic
import Testing

@Suite("semantic scope")
struct SemanticQueryTests {
    func chat(_ turns: [(String, String)], model: String = "gpt-4o-mini", temperature: Double = 0) -> JSONValue {
        .object([
            "model": .string(model), "temperature": .number(JSONNumber(temperature)),
            "messages": .array(turns.map { .object(["role": .string($0.0), "content": .string($0.1)]) }),
        ])
    }

    func query(_ body: JSONValue, namespace: String = "n") -> SemanticQuery? {
        SemanticQuery(body: body, namespace: namespace, route: "/v1/chat/completions")
    }

    @Test("only the last user turn is compared; the rest forms the scope")
    func lastTurn() throws {
        let a = try #require(query(chat([("system", "Be brief."), ("user", "What is the capital of France?")])))
        let b = try #require(query(chat([("system", "Be brief."), ("user", "capital city of france?")])))
        #expect(a.text == "What is the capital of France?")
        #expect(a.scope == b.scope)
    }

    @Test("a follow-up in a different conversation never shares a scope")
    func followUp() throws {
        let first = try #require(query(chat([("user", "Who wrote Hamlet?"), ("assistant", "Shakespeare."), ("user", "How old was he?")])))
        let second = try #require(query(chat([("user", "Who is Messi?"), ("assistant", "A footballer."), ("user", "How old was he?")])))
        #expect(first.text == second.text)
        #expect(first.scope != second.scope)
    }

    @Test("model, system prompt, sampling parameters and namespace each change the scope")
    func everythingElseMatters() throws {
        let base = try #require(query(chat([("system", "A"), ("user", "hi")])))
        let variants = [
            query(chat([("system", "A"), ("user", "hi")], model: "gpt-4o")),
            query(chat([("system", "B"), ("user", "hi")])),
            query(chat([("system", "A"), ("user", "hi")], temperature: 0.7)),
            query(chat([("system", "A"), ("user", "hi")]), namespace: "other"),
        ]
        for variant in variants { #expect(try #require(variant).scope != base.scope) }
    }

    @Test("fields the cache key ignores do not split the scope")
    func excludedFields() throws {
        guard case .object(var members) = chat([("user", "hi")]) else {
            Issue.record("the chat body must be a JSON object")
            return
        }
        let base = try #require(query(.object(members)))
        members["stream"] = .bool(true)
        members["user"] = .string("u-1")
        #expect(try #require(query(.object(members))).scope == base.scope)
    }

    @Test("no semantic query when the last message is not a plain user text")
    func ineligible() {
        #expect(query(chat([("user", "hi"), ("assistant", "Hello")])) == nil)
        let image: JSONValue = [
            "model": "m",
            "messages": [["role": "user", "content": [["type": "text", "text": "what is this?"], ["type": "image_url", "image_url": ["url": "x"]]]]],
        ]
        #expect(query(image) == nil)
    }

    @Test("text parts, completion prompts and Responses inputs are read")
    func otherShapes() throws {
        let parts: JSONValue = ["model": "m", "messages": [["role": "user", "content": [["type": "text", "text": "a"], ["type": "text", "text": "b"]]]]]
        #expect(query(parts)?.text == "a\nb")
        #expect(query(["model": "m", "prompt": "Say hi"])?.text == "Say hi")
        #expect(query(["model": "m", "input": [["role": "user", "content": "Say hi"]]])?.text == "Say hi")
    }
}
