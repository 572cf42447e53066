import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseTesting
import Testing

@testable import RepriseGateway

/// Opt-in automatic breakpoints: added only where the client set none and the stable prefix is long
/// enough for the model, at most four, never on the new question; reported in `/admin/stats`.
@Suite struct PromptCacheBreakpointTests {
    static let longText = String(repeating: "Stable instructions that every request repeats word for word. ", count: 100)

    static func markers(in value: JSONValue) -> Int {
        switch value {
        case .object(let members): (members["cache_control"] == nil ? 0 : 1) + members.values.map(markers).reduce(0, +)
        case .array(let elements): elements.map(markers).reduce(0, +)
        default: 0
        }
    }

    static func conversation(turns: Int, system: String = longText) -> JSONValue {
        var messages: [JSONValue] = []
        for turn in 0..<turns {
            messages.append(["role": "user", "content": .string("Question \(turn): " + longText)])
            messages.append(["role": "assistant", "content": [["type": "text", "text": .string("Answer \(turn).")]]])
        }
        messages.append(["role": "user", "content": "The new question."])
        return ["model": "claude-sonnet-4-5", "max_tokens": 100, "system": .string(system), "messages": .array(messages)]
    }

    @Test func aLongSystemPromptGetsOneBreakpoint() throws {
        let (body, count) = try #require(PromptCacheBreakpoints.adding(to: Self.conversation(turns: 0), minimumTokens: 1024))
        #expect(count == 1)
        let system = try #require(body["system"]?.arrayValue)
        #expect(system == [["type": "text", "text": .string(Self.longText), "cache_control": ["type": "ephemeral"]]])
        // The new question is left alone.
        #expect(body["messages"] == Self.conversation(turns: 0)["messages"])
    }

    @Test func longConversationsGetAtMostFourAndNeverOnTheLastMessage() throws {
        let request = Self.conversation(turns: 6)
        let (body, count) = try #require(PromptCacheBreakpoints.adding(to: request, minimumTokens: 1024))
        #expect(count == PromptCacheBreakpointSettings.maximumBreakpoints)
        #expect(Self.markers(in: body) == 4)
        let messages = try #require(body["messages"]?.arrayValue)
        #expect(messages.last == request["messages"]?.arrayValue?.last)
        // The latest earlier turns carry them: the three messages before the question.
        #expect(messages.suffix(4).dropLast().allSatisfy { Self.markers(in: $0) == 1 })
        #expect(Self.markers(in: body["system"] ?? nil) == 1)
    }

    @Test func nothingIsAddedToShortPromptsOrToRequestsWithTheirOwnMarkers() throws {
        #expect(PromptCacheBreakpoints.adding(to: Self.conversation(turns: 0, system: "Be brief."), minimumTokens: 1024) == nil)
        // The same long prompt is too short for a model whose minimum is 4,096 tokens.
        let settings = PromptCacheBreakpointSettings(isEnabled: true)
        #expect(settings.minimumTokens(for: "claude-haiku-4-5-20251001") == 4096)
        #expect(settings.minimumTokens(for: "claude-3-5-haiku-latest") == 2048)
        #expect(settings.minimumTokens(for: "claude-sonnet-4-5") == 1024)
        #expect(PromptCacheBreakpoints.adding(to: Self.conversation(turns: 0), minimumTokens: 4096) == nil)
        guard case .object(var members) = Self.conversation(turns: 2) else {
            Issue.record("the conversation must be a JSON object")
            return
        }
        members["tools"] = [["name": "lookup", "input_schema": ["type": "object"], "cache_control": ["type": "ephemeral"]]]
        #expect(PromptCacheBreakpoints.adding(to: .object(members), minimumTokens: 1024) == nil)
    }

    @Test func thinkingBlocksNeverCarryABreakpoint() throws {
        let request: JSONValue = [
            "model": "claude-sonnet-4-5", "system": .string(Self.longText),
            "messages": [
                ["role": "user", "content": "First?"],
                ["role": "assistant", "content": [["type": "thinking", "thinking": "Hmm.", "signature": "s"], ["type": "text", "text": "Yes."]]],
                ["role": "user", "content": "Second?"],
            ],
        ]
        let (body, _) = try #require(PromptCacheBreakpoints.adding(to: request, minimumTokens: 1024))
        let assistant = try #require(body["messages"]?.arrayValue?[1]["content"]?.arrayValue)
        #expect(assistant[0]["cache_control"] == nil)
        #expect(assistant[1]["cache_control"] == ["type": "ephemeral"])
    }

    @Test func theGatewayAddsThemWhenEnabledAndReportsWhatTheyDid() async throws {
        try await GatewayHarness.run(configure: { $0.adminToken = "admin"; $0.promptCacheBreakpoints.isEnabled = true }) { gateway in
            let first = Anthropic.body("First?", extra: ["system": .string(Self.longText)])
            let answer = try await gateway.post("/v1/messages", json: first, headers: Anthropic.version)
            let forwarded = try #require(gateway.upstream.lastRequestBody)
            #expect(Self.markers(in: forwarded) == 1)
            // What the client sent, and so the key, is unchanged; the client sees the provider's usage.
            #expect(try answer.json()["usage"]?["cache_creation_input_tokens"]?.intValue ?? 0 > 0)
            try await gateway.post("/v1/messages", json: Anthropic.body("Second?", extra: ["system": .string(Self.longText)]), headers: Anthropic.version)
            let stats = try await gateway.get("/admin/stats", headers: .bearer("admin")).json()
            let automatic = try #require(stats["provider_cache"]?["auto_breakpoints"])
            #expect(automatic["enabled"] == true)
            #expect(automatic["requests"]?.intValue == 2)
            #expect(automatic["write_tokens"]?.intValue ?? 0 > 1024)
            #expect(automatic["read_tokens"] == automatic["write_tokens"])
            #expect(automatic["net_dollars"]?.doubleValue ?? 0 > 0)
        }
    }

    @Test func theGatewayLeavesRequestsAloneByDefault() async throws {
        try await GatewayHarness.run { gateway in
            try await gateway.post("/v1/messages", json: Anthropic.body("First?", extra: ["system": .string(Self.longText)]), headers: Anthropic.version)
            #expect(Self.markers(in: try #require(gateway.upstream.lastRequestBody)) == 0)
        }
    }
}
