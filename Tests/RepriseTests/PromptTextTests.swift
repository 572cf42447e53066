import Reprise
import Testing

@Suite struct PromptTextTests {
    func prompt(_ json: String) throws -> PromptText {
        PromptText(body: try JSONParser.parse(json))
    }

    @Test func chatMessagesGiveAllTextsAndTheUsersTexts() throws {
        let text = try prompt("""
            {"model": "gpt-4o", "messages": [
              {"role": "system", "content": "Be brief."},
              {"role": "user", "content": "What is a tide?"},
              {"role": "assistant", "content": "The rise and fall of the sea."},
              {"role": "user", "content": [
                {"type": "text", "text": "And this picture?"},
                {"type": "image_url", "image_url": {"url": "https://example.com/tide.png"}}]},
              {"role": "assistant", "content": null, "tool_calls": []}
            ]}
            """)
        #expect(text.all == "Be brief.\nWhat is a tide?\nThe rise and fall of the sea.\nAnd this picture?")
        #expect(text.user == "What is a tide?\nAnd this picture?")
    }

    @Test func completionPromptIsTheUsersText() throws {
        #expect(try prompt(#"{"model": "gpt-3.5-turbo-instruct", "prompt": "Once upon a time"}"#) == PromptText(all: "Once upon a time", user: "Once upon a time"))
        #expect(try prompt(#"{"prompt": ["one", "two"]}"#) == PromptText(all: "one\ntwo", user: "one\ntwo"))
    }

    @Test func embeddingInputIsTheUsersText() throws {
        #expect(try prompt(#"{"model": "text-embedding-3-small", "input": "a sentence"}"#).user == "a sentence")
        #expect(try prompt(#"{"input": ["first", "second"]}"#).all == "first\nsecond")
        #expect(try prompt(#"{"input": [1, 2, 3]}"#) == PromptText(all: "", user: ""), "token ids are not text")
    }

    @Test func responsesInputItemsCountByRole() throws {
        let text = try prompt("""
            {"model": "gpt-4.1", "instructions": "Answer in French.", "input": [
              {"role": "developer", "content": "Use short sentences."},
              {"role": "user", "content": [{"type": "input_text", "text": "Where is Lyon?"},
                                           {"type": "input_image", "image_url": "https://example.com/map.png"}]},
              {"role": "assistant", "content": [{"type": "output_text", "text": "En France."}]},
              {"type": "message", "content": "No role means the user."},
              {"type": "input_text", "text": "A bare text item."}
            ]}
            """)
        #expect(text.all == "Answer in French.\nUse short sentences.\nWhere is Lyon?\nEn France.\nNo role means the user.\nA bare text item.")
        #expect(text.user == "Where is Lyon?\nNo role means the user.\nA bare text item.")
    }

    @Test func anthropicSystemBlocksAndToolResultsAreRead() throws {
        let text = try prompt("""
            {"model": "claude-sonnet-4-5", "system": [{"type": "text", "text": "You are a lawyer.", "cache_control": {"type": "ephemeral"}}],
             "messages": [
               {"role": "user", "content": [{"type": "text", "text": "Read clause 4."}]},
               {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "read", "input": {}}]},
               {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "Clause 4: payment terms."}]}
             ]}
            """)
        #expect(text.all == "You are a lawyer.\nRead clause 4.\nClause 4: payment terms.")
        #expect(text.user == "Read clause 4.\nClause 4: payment terms.")
    }

    @Test func anthropicSystemStringIsRead() throws {
        #expect(try prompt(#"{"system": "Be kind.", "messages": [{"role": "user", "content": "Hi"}]}"#).all == "Be kind.\nHi")
    }

    @Test func bodyWithoutTextHasEmptyPrompt() throws {
        #expect(try prompt(#"{"model": "gpt-4o"}"#) == PromptText(all: "", user: ""))
        #expect(try prompt("[]") == PromptText(all: "", user: ""))
    }
}
