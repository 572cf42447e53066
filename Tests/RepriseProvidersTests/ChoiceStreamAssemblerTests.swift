import Reprise
import Testing

@testable import RepriseProviders

/// Chat- and text-completion chunks assembled into the answer a non-streamed request gets.
@Suite struct ChoiceStreamAssemblerTests {
    static func assemble(_ chunks: [String], kind: ChoiceStreamAssembler.Kind = .chat) -> ChoiceStreamAssembler {
        var assembler = ChoiceStreamAssembler(kind: kind)
        for chunk in chunks { assembler.consume(ServerSentEvent(data: chunk)) }
        return assembler
    }

    @Test func contentPiecesJoinInOrder() throws {
        let assembler = Self.assemble([
            #"{"id":"c1","object":"chat.completion.chunk","created":7,"model":"m","system_fingerprint":"fp","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#,
            #"{"id":"c1","choices":[{"index":0,"delta":{"content":"The answer "},"finish_reason":null}]}"#,
            #"{"id":"c1","choices":[{"index":0,"delta":{"content":"is 42."},"finish_reason":null}]}"#,
            #"{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
            "[DONE]",
        ])
        let body = try #require(assembler.assembledBody())
        #expect(body["object"]?.stringValue == "chat.completion")
        #expect(body["created"]?.intValue == 7)
        #expect(body["model"]?.stringValue == "m")
        #expect(body["system_fingerprint"]?.stringValue == "fp")
        let choice = try #require(body["choices"]?.arrayValue?.first)
        #expect(choice["message"]?["role"]?.stringValue == "assistant")
        #expect(choice["message"]?["content"]?.stringValue == "The answer is 42.")
        #expect(choice["message"]?["tool_calls"] == nil)
        #expect(choice["finish_reason"]?.stringValue == "stop")
        #expect(body["usage"] == nil)
    }

    @Test func aRefusalIsKeptApartFromContent() throws {
        let assembler = Self.assemble([
            #"{"id":"c2","choices":[{"index":0,"delta":{"role":"assistant","content":null,"refusal":""}}]}"#,
            #"{"id":"c2","choices":[{"index":0,"delta":{"refusal":"I can't "}}]}"#,
            #"{"id":"c2","choices":[{"index":0,"delta":{"refusal":"help with that."}}]}"#,
            #"{"id":"c2","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
            "[DONE]",
        ])
        let message = try #require(assembler.assembledBody()?["choices"]?.arrayValue?.first?["message"])
        #expect(message["refusal"]?.stringValue == "I can't help with that.")
        #expect(message["content"] == .null)
    }

    @Test func parallelToolCallsWithFragmentedArgumentsAreJoinedPerCall() throws {
        let assembler = Self.assemble([
            #"{"id":"c3","choices":[{"index":0,"delta":{"role":"assistant","content":null}}]}"#,
            #"{"id":"c3","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_oslo","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}"#,
            #"{"id":"c3","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"ci"}}]}}]}"#,
            #"{"id":"c3","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_rome","type":"function","function":{"name":"get_weather","arguments":"{\"city\""}}]}}]}"#,
            #"{"id":"c3","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ty\":\"Oslo\"}"}}]}}]}"#,
            #"{"id":"c3","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":":\"Rome\"}"}}]}}]}"#,
            #"{"id":"c3","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
            "[DONE]",
        ])
        let choice = try #require(assembler.assembledBody()?["choices"]?.arrayValue?.first)
        let calls = try #require(choice["message"]?["tool_calls"]?.arrayValue)
        #expect(calls.map { $0["id"]?.stringValue } == ["call_oslo", "call_rome"])
        #expect(calls.map { $0["type"]?.stringValue } == ["function", "function"])
        #expect(calls.map { $0["function"]?["name"]?.stringValue } == ["get_weather", "get_weather"])
        #expect(calls.map { $0["function"]?["arguments"]?.stringValue } == [#"{"city":"Oslo"}"#, #"{"city":"Rome"}"#])
        #expect(choice["message"]?["content"] == .null)
        #expect(choice["finish_reason"]?.stringValue == "tool_calls")
    }

    @Test func severalChoicesAreAssembledByIndex() throws {
        let assembler = Self.assemble([
            #"{"id":"c4","choices":[{"index":1,"delta":{"role":"assistant","content":"Second"}}]}"#,
            #"{"id":"c4","choices":[{"index":0,"delta":{"role":"assistant","content":"First"}}]}"#,
            #"{"id":"c4","choices":[{"index":1,"delta":{"content":" two"},"finish_reason":"stop"}]}"#,
            #"{"id":"c4","choices":[{"index":0,"delta":{"content":" one"},"finish_reason":"length"}]}"#,
            "[DONE]",
        ])
        let choices = try #require(assembler.assembledBody()?["choices"]?.arrayValue)
        #expect(choices.map { $0["index"]?.intValue } == [0, 1])
        #expect(choices.map { $0["message"]?["content"]?.stringValue } == ["First one", "Second two"])
        #expect(choices.map { $0["finish_reason"]?.stringValue } == ["length", "stop"])
    }

    @Test func theUsageChunkBecomesTheAnswersUsage() throws {
        let usage = #"{"prompt_tokens":11,"completion_tokens":5,"total_tokens":16,"prompt_tokens_details":{"cached_tokens":0}}"#
        let assembler = Self.assemble([
            #"{"id":"c5","choices":[{"index":0,"delta":{"content":"Hi"}}],"usage":null}"#,
            #"{"id":"c5","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}"#,
            #"{"id":"c5","choices":[],"usage":"# + usage + "}",
            "[DONE]",
        ])
        let body = try #require(assembler.assembledBody())
        #expect(body["usage"] == (try JSONParser.parse(usage)))
        #expect(body["choices"]?.arrayValue?.count == 1)
    }

    @Test func textCompletionChunksAssembleIntoATextCompletion() throws {
        let assembler = Self.assemble([
            #"{"id":"cmpl-1","object":"text_completion","created":3,"model":"instruct","choices":[{"text":"Once ","index":0,"logprobs":null,"finish_reason":null}]}"#,
            #"{"id":"cmpl-1","object":"text_completion","choices":[{"text":"upon a time","index":0,"logprobs":null,"finish_reason":null}]}"#,
            #"{"id":"cmpl-1","object":"text_completion","choices":[{"text":"","index":0,"logprobs":null,"finish_reason":"stop"}]}"#,
            #"{"id":"cmpl-1","object":"text_completion","choices":[],"usage":{"prompt_tokens":2,"completion_tokens":4,"total_tokens":6}}"#,
            "[DONE]",
        ], kind: .text)
        let body = try #require(assembler.assembledBody())
        #expect(body["object"]?.stringValue == "text_completion")
        #expect(body["choices"]?.arrayValue?.first?["text"]?.stringValue == "Once upon a time")
        #expect(body["choices"]?.arrayValue?.first?["finish_reason"]?.stringValue == "stop")
        #expect(body["usage"]?["total_tokens"]?.intValue == 6)
    }

    @Test func withoutDoneTheStreamIsIncomplete() {
        let assembler = Self.assemble([
            #"{"id":"c6","choices":[{"index":0,"delta":{"content":"Cut"}}]}"#,
            #"{"id":"c6","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#,
        ])
        #expect(!assembler.isComplete)
        #expect(assembler.assembledBody() == nil)
    }

    @Test(arguments: [
        #"{"error":{"message":"The server had an error while processing your request.","type":"server_error"}}"#,
        "not json at all",
    ])
    func anErrorOrUnreadableChunkSpoilsTheStream(chunk: String) {
        let assembler = Self.assemble([#"{"id":"c7","choices":[{"index":0,"delta":{"content":"Hal"}}]}"#, chunk, "[DONE]"])
        #expect(!assembler.isComplete)
        #expect(assembler.assembledBody() == nil)
    }

    @Test func eventsAfterDoneAreIgnored() throws {
        let assembler = Self.assemble([
            #"{"id":"c8","choices":[{"index":0,"delta":{"content":"Done"},"finish_reason":"stop"}]}"#,
            "[DONE]",
            #"{"id":"c8","choices":[{"index":0,"delta":{"content":" and more"}}]}"#,
        ])
        #expect(assembler.assembledBody()?["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue == "Done")
    }
}
