import Reprise

/// One realistic chat completion request that uses every field that can change an answer, and the same
/// request spelled differently (key order, white space, number spelling, optional escapes).
enum ChatRequestSample {
    static let text = #"""
        {
          "model": "gpt-4o",
          "messages": [
            {"role": "system", "content": "You are a concise travel assistant."},
            {"role": "user", "name": "alice", "content": [
              {"type": "text", "text": "Where was this photo taken?"},
              {"type": "image_url", "image_url": {"url": "https://example.com/photo.jpg", "detail": "low"}}
            ]},
            {"role": "assistant", "content": null, "tool_calls": [
              {"id": "call_abc", "type": "function",
               "function": {"name": "lookup_landmark", "arguments": "{\"query\":\"tower\"}"}}
            ]},
            {"role": "tool", "tool_call_id": "call_abc", "content": "Eiffel Tower, Paris — Café"}
          ],
          "temperature": 0.7,
          "top_p": 0.9,
          "max_tokens": 256,
          "stop": ["\n\n", "END"],
          "seed": 42,
          "n": 1,
          "tools": [{"type": "function", "function": {
            "name": "lookup_landmark", "description": "Find a landmark by name",
            "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}}}],
          "tool_choice": "auto",
          "parallel_tool_calls": true,
          "response_format": {"type": "text"},
          "logit_bias": {"50256": -100},
          "logprobs": true,
          "top_logprobs": 3,
          "frequency_penalty": 0.5,
          "presence_penalty": 0,
          "reasoning_effort": "medium",
          "modalities": ["text"]
        }
        """#

    /// ``text`` with members in another order, other white space, numbers spelled otherwise and
    /// optional escapes (`\/`, `\u0045`) used.
    static let equivalentText = #"""
        {"modalities":["text"],"reasoning_effort":"medium","presence_penalty":-0,"frequency_penalty":5E-1,
        "top_logprobs":3.000,"logprobs":true,"logit_bias":{"50256":-1e2},"response_format":{"type":"text"},
        "parallel_tool_calls":true,"tool_choice":"auto","tools":[{"function":{"parameters":{"required":["query"],
        "properties":{"query":{"type":"string"}},"type":"object"},"description":"Find a landmark by name",
        "name":"lookup_landmark"},"type":"function"}],"n":1E0,"seed":42.0,"stop":["\n\n","\u0045ND"],
        "max_tokens":2.56e2,"top_p":0.90,"temperature":7e-1,"messages":[{"content":"You are a concise travel assistant.",
        "role":"system"},{"content":[{"text":"Where was this photo taken?","type":"text"},{"image_url":{"detail":"low",
        "url":"https:\/\/example.com\/photo.jpg"},"type":"image_url"}],"name":"alice","role":"user"},
        {"tool_calls":[{"function":{"arguments":"{\"query\":\"tower\"}","name":"lookup_landmark"},"type":"function",
        "id":"call_abc"}],"content":null,"role":"assistant"},{"content":"Eiffel Tower, Paris \u2014 Caf\u00e9","tool_call_id":"call_abc",
        "role":"tool"}],"model":"gpt-4o"}
        """#

    static var body: JSONValue {
        try! JSONParser.parse(text)
    }
}

/// One step of a path into a JSON document: an object member or an array element.
enum JSONPathStep: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case member(String)
    case element(Int)

    init(stringLiteral value: String) { self = .member(value) }
    init(integerLiteral value: Int) { self = .element(value) }
}

extension JSONValue {
    /// What an edit does at the end of its path. (Not `JSONValue?`: `nil` would be read as JSON `null`,
    /// since ``JSONValue`` is `ExpressibleByNilLiteral`.)
    private enum Edit {
        case set(JSONValue)
        case remove
    }

    /// This document with the value at `path` replaced by `newValue`; members missing on the way are
    /// created, and an index one past the end of an array appends.
    func setting(_ newValue: JSONValue, at path: JSONPathStep...) -> JSONValue {
        applying(.set(newValue), at: path[...])
    }

    /// This document with the value at `path` replaced by `newValue`.
    func setting(_ newValue: JSONValue, at path: [JSONPathStep]) -> JSONValue {
        applying(.set(newValue), at: path[...])
    }

    /// This document without the value at `path`.
    func removing(at path: JSONPathStep...) -> JSONValue {
        applying(.remove, at: path[...])
    }

    private func applying(_ edit: Edit, at path: ArraySlice<JSONPathStep>) -> JSONValue {
        guard let step = path.first else {
            guard case .set(let newValue) = edit else { preconditionFailure("nothing to remove at an empty path") }
            return newValue
        }
        let removesHere: Bool
        if case .remove = edit { removesHere = path.count == 1 } else { removesHere = false }
        switch (self, step) {
        case (.object(var members), .member(let name)):
            if removesHere {
                members.removeValue(forKey: name)
            } else {
                members[name] = (members[name] ?? .null).applying(edit, at: path.dropFirst())
            }
            return .object(members)
        case (.null, .member):
            return JSONValue.object([:]).applying(edit, at: path)
        case (.array(var elements), .element(let index)):
            if removesHere {
                elements.remove(at: index)
            } else if index == elements.count {
                elements.append(JSONValue.null.applying(edit, at: path.dropFirst()))
            } else {
                elements[index] = elements[index].applying(edit, at: path.dropFirst())
            }
            return .array(elements)
        default:
            preconditionFailure("the path step \(step) does not fit \(self)")
        }
    }
}
