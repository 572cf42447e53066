import Reprise
import Testing

@testable import RepriseProviders

/// Streams assembled into whole answers, and whole answers replayed as streams, agree.
@Suite struct StreamAssemblyTests {
    static func events(_ chunks: [String]) -> [ServerSentEvent] {
        chunks.map { ServerSentEvent(data: $0) }
    }

    @Test func chatChunksAssembleContentToolCallsAndUsage() throws {
        var assembler = ChoiceStreamAssembler(kind: .chat)
        for event in Self.events([
            #"{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#,
            #"{"id":"c1","choices":[{"index":0,"delta":{"content":"Hel"}}]}"#,
            #"{"id":"c1","choices":[{"index":0,"delta":{"content":"lo"}}]}"#,
            #"{"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"f","arguments":""}},{"index":1,"id":"call_b","type":"function","function":{"name":"g","arguments":"{\"y\""}}]}}]}"#,
            #"{"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"x\":1}"}},{"index":1,"function":{"arguments":":2}"}}]}}]}"#,
            #"{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
            #"{"id":"c1","choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}"#,
            "[DONE]",
        ]) { assembler.consume(event) }
        #expect(assembler.isComplete)
        let body = try #require(assembler.assembledBody())
        let choice = try #require(body["choices"]?.arrayValue?.first)
        #expect(body["object"]?.stringValue == "chat.completion")
        #expect(body["id"]?.stringValue == "c1")
        #expect(choice["message"]?["content"]?.stringValue == "Hello")
        #expect(choice["finish_reason"]?.stringValue == "tool_calls")
        let calls = try #require(choice["message"]?["tool_calls"]?.arrayValue)
        #expect(calls.map { $0["id"]?.stringValue } == ["call_a", "call_b"])
        #expect(calls.map { $0["function"]?["arguments"]?.stringValue } == [#"{"x":1}"#, #"{"y":2}"#])
        #expect(TokenUsage(openAIResponse: body)?.totalTokens == 7)
    }

    @Test func withoutTheFinalEventNothingIsAssembled() {
        var assembler = ChoiceStreamAssembler(kind: .chat)
        assembler.consume(ServerSentEvent(data: #"{"id":"c1","choices":[{"index":0,"delta":{"content":"Hi"}}]}"#))
        #expect(!assembler.isComplete)
        #expect(assembler.assembledBody() == nil)
    }

    @Test func anErrorChunkSpoilsTheStream() {
        var assembler = ChoiceStreamAssembler(kind: .chat)
        assembler.consume(ServerSentEvent(data: #"{"error":{"message":"overloaded"}}"#))
        assembler.consume(ServerSentEvent(data: "[DONE]"))
        #expect(!assembler.isComplete)
    }

    @Test func responsesStreamsCompleteOnlyWithResponseCompleted() throws {
        var assembler = ResponsesStreamAssembler()
        assembler.consume(ServerSentEvent(name: "response.created", data: #"{"type":"response.created","response":{"id":"r1","status":"in_progress"}}"#))
        #expect(!assembler.isComplete)
        assembler.consume(ServerSentEvent(name: "response.completed", data: #"{"type":"response.completed","response":{"id":"r1","status":"completed","output":[]}}"#))
        #expect(assembler.assembledBody()?["status"]?.stringValue == "completed")
        var failed = ResponsesStreamAssembler()
        failed.consume(ServerSentEvent(data: #"{"type":"response.failed","response":{"id":"r2"}}"#))
        #expect(failed.assembledBody() == nil)
    }

    static let chat: JSONValue = try! JSONParser.parse(
        #"{"id":"c9","object":"chat.completion","created":5,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"A fairly long answer, long enough to be cut into several pieces when it is replayed.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":17,"total_tokens":26}}"#)
    static let tools: JSONValue = try! JSONParser.parse(
        #"{"id":"c8","object":"chat.completion","created":5,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"query\":\"a longer argument string\"}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":9,"completion_tokens":7,"total_tokens":16}}"#)
    static let text: JSONValue = try! JSONParser.parse(
        #"{"id":"t1","object":"text_completion","created":5,"model":"m","choices":[{"index":0,"text":"Once upon a time, in a land far away, there lived a cache.","logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":4,"completion_tokens":14,"total_tokens":18}}"#)

    @Test(arguments: [chat, tools])
    func replayedChatAnswersAssembleBackToTheOriginal(original: JSONValue) throws {
        let events = ChoiceStreamReplay(kind: .chat, includeUsage: true).events(for: original)
        var assembler = ChoiceStreamAssembler(kind: .chat)
        for event in events { assembler.consume(event) }
        let assembled = try #require(assembler.assembledBody())
        let message = assembled["choices"]?.arrayValue?.first?["message"]
        let expected = original["choices"]?.arrayValue?.first?["message"]
        #expect(message?["content"] == expected?["content"])
        #expect(message?["tool_calls"] == expected?["tool_calls"])
        #expect(assembled["usage"] == original["usage"])
        #expect(assembled["choices"]?.arrayValue?.first?["finish_reason"] == original["choices"]?.arrayValue?.first?["finish_reason"])
        #expect(events.count > 4)
    }

    @Test func replayedTextCompletionsAssembleBack() throws {
        let events = ChoiceStreamReplay(kind: .text, includeUsage: false).events(for: Self.text)
        var assembler = ChoiceStreamAssembler(kind: .text)
        for event in events { assembler.consume(event) }
        let assembled = try #require(assembler.assembledBody())
        #expect(assembled["choices"]?.arrayValue?.first?["text"] == Self.text["choices"]?.arrayValue?.first?["text"])
        #expect(assembled["usage"] == nil)
    }

    @Test func replayedResponsesEndWithTheWholeResponse() throws {
        let response = try JSONParser.parse(
            #"{"id":"r1","object":"response","status":"completed","output":[{"type":"message","id":"m1","role":"assistant","status":"completed","content":[{"type":"output_text","text":"Hello there, this is a replayed answer.","annotations":[]}]}],"usage":{"input_tokens":3,"output_tokens":8,"total_tokens":11}}"#)
        let events = ResponsesReplay(response: response).events()
        var assembler = ResponsesStreamAssembler()
        for event in events { assembler.consume(event) }
        #expect(assembler.assembledBody() == response)
        let deltas = events.compactMap { try? JSONParser.parse($0.data) }.filter { $0["type"]?.stringValue == "response.output_text.delta" }
        #expect(deltas.compactMap { $0["delta"]?.stringValue }.joined() == "Hello there, this is a replayed answer.")
        let numbers = events.compactMap { try? JSONParser.parse($0.data)["sequence_number"]?.intValue }
        #expect(numbers == Array(0..<events.count))
    }

    @Test func piecesJoinBackExactly() {
        let text = "Ünïcode and emoji 👩‍👩‍👧 survive being cut into pieces, however long the text happens to be."
        #expect(ReplayText.pieces(of: text).joined() == text)
        #expect(ReplayText.pieces(of: "").isEmpty)
    }
}
