import Reprise
import Testing

@Suite struct TokenUsageTests {
    func usage(_ json: String) throws -> TokenUsage? {
        TokenUsage(openAIResponse: try JSONParser.parse(json))
    }

    @Test func readsChatCompletionUsage() throws {
        let json = """
            {"id": "chatcmpl-1", "object": "chat.completion", "choices": [],
             "usage": {"prompt_tokens": 1200, "completion_tokens": 85, "total_tokens": 1285,
                       "prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
                       "completion_tokens_details": {"reasoning_tokens": 0}}}
            """
        #expect(try usage(json) == TokenUsage(promptTokens: 1200, completionTokens: 85, cachedPromptTokens: 1024))
        #expect(try usage(json)?.totalTokens == 1285)
    }

    @Test func readsResponsesAPIUsage() throws {
        let json = """
            {"id": "resp_1", "object": "response", "output": [],
             "usage": {"input_tokens": 328, "input_tokens_details": {"cached_tokens": 256},
                       "output_tokens": 52, "output_tokens_details": {"reasoning_tokens": 12}, "total_tokens": 380}}
            """
        #expect(try usage(json) == TokenUsage(promptTokens: 328, completionTokens: 52, cachedPromptTokens: 256))
    }

    @Test func readsEmbeddingsUsage() throws {
        let json = """
            {"object": "list", "data": [{"object": "embedding", "index": 0, "embedding": [0.1, -0.2]}],
             "model": "text-embedding-3-small", "usage": {"prompt_tokens": 8, "total_tokens": 8}}
            """
        #expect(try usage(json) == TokenUsage(promptTokens: 8, completionTokens: 0, cachedPromptTokens: 0))
    }

    @Test func readsCompletionUsageWithoutDetails() throws {
        #expect(try usage(#"{"usage": {"prompt_tokens": 5, "completion_tokens": 7}}"#) == TokenUsage(promptTokens: 5, completionTokens: 7))
    }

    @Test(arguments: [#"{"id": "x"}"#, #"{"usage": null}"#, #"{"usage": 12}"#, "[1, 2]", #""usage""#])
    func answerWithoutUsageHasNone(_ json: String) throws {
        #expect(try usage(json) == nil)
    }

    @Test func negativeOrMalformedCountsAreReadAsZero() throws {
        let json = #"{"usage": {"prompt_tokens": -3, "completion_tokens": "many", "prompt_tokens_details": {"cached_tokens": 2.5}}}"#
        #expect(try usage(json) == TokenUsage())
    }

    @Test func countsSpelledAsDecimalsAreRead() throws {
        #expect(try usage(#"{"usage": {"prompt_tokens": 1.2e3, "completion_tokens": 40.0}}"#) == TokenUsage(promptTokens: 1200, completionTokens: 40))
    }
}
