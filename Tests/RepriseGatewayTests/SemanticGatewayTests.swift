import Foundation
import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseSemantic
import RepriseTesting
import Testing

/// Semantic matching through the gateway: a paraphrase is answered from the entry of the original, in its
/// scope only, over the threshold only, never past a guard, and marked so it can be audited.
@Suite struct SemanticGatewayTests {
    static let original = "What is the capital of France?"
    static let paraphrase = "Tell me the capital of France"
    /// The original on axis 0; the paraphrase at 0.99 of it.
    static let embedder = StubEmbedder(exact: [
        original: StubEmbedder.axis(0),
        paraphrase: StubEmbedder.near(0, similarity: 0.99, towards: 1),
    ])

    /// Semantic matching enabled, and on for every request unless a test says otherwise.
    static func semanticOn(_ configuration: inout GatewayConfiguration) {
        configuration.semantic.isEnabled = true
        configuration.semantic.verificationRate = 0
        configuration.policy.semantic = .on
        configuration.policy.semanticThreshold = 0.95
        configuration.adminToken = "admin"
    }

    @Test func aParaphraseIsAnsweredFromTheOriginalsEntryAndMarked() async throws {
        try await GatewayHarness.run(embedder: Self.embedder.named, configure: Self.semanticOn) { gateway in
            let first = try await gateway.chat(Self.original)
            #expect(first.repriseStatus == "miss")
            let second = try await gateway.chat(Self.paraphrase)
            #expect(second.status == .ok)
            #expect(second.repriseStatus == "semantic-hit")
            #expect(second.headers[.repriseSimilarity] == "0.9900")
            #expect(second.headers[.repriseMatchedKey] == first.cacheKey)
            #expect(second.cacheKey != first.cacheKey)
            #expect(second.cacheStatus?.hasPrefix("reprise; hit; ttl=") == true)
            #expect(second.cacheStatus?.hasSuffix("; detail=semantic") == true)
            #expect(second.answerID == first.answerID)
            #expect(gateway.upstream.callCount() == 1)

            let stats = try await gateway.get("/admin/stats", headers: .bearer("admin")).json()
            #expect(stats["semantic_hits"]?.intValue == 1)
            #expect(stats["semantic"]?["hits"]?.intValue == 1)
            #expect(stats["semantic"]?["embedder"]?.stringValue == "stub")
        }
    }

    @Test func aStreamingParaphraseIsReplayedAsEvents() async throws {
        try await GatewayHarness.run(embedder: Self.embedder.named, configure: Self.semanticOn) { gateway in
            let first = try await gateway.post("/v1/chat/completions", json: GatewayHarness.chatBody(Self.original, stream: true))
            let second = try await gateway.post("/v1/chat/completions", json: GatewayHarness.chatBody(Self.paraphrase, stream: true))
            #expect(second.repriseStatus == "semantic-hit")
            #expect(second.headers[.contentType] == "text/event-stream")
            #expect(SSE.endsWithDone(second.text))
            #expect(!SSE.content(of: first.text).isEmpty)
            #expect(SSE.content(of: second.text) == SSE.content(of: first.text))
            #expect(gateway.upstream.callCount() == 1)
        }
    }

    @Test func aMatchUnderTheThresholdGoesUpstream() async throws {
        try await GatewayHarness.run(embedder: Self.embedder.named, configure: Self.semanticOn) { gateway in
            try await gateway.chat(Self.original)
            let strict = try await gateway.chat(Self.paraphrase, headers: [.repriseSemantic: "0.995"])
            #expect(strict.repriseStatus == "miss")
            #expect(strict.headers[.repriseSimilarity] == nil)
            #expect(gateway.upstream.callCount() == 2)
        }
    }

    @Test func theHeaderTurnsMatchingOnAndOffAndIsChecked() async throws {
        // Every variant of the question is near the original; each is asked once, so none is an exact hit.
        var embedder = Self.embedder
        embedder.contains = [("capital of France", StubEmbedder.near(0, similarity: 0.98, towards: 2))]
        try await GatewayHarness.run(embedder: embedder.named, configure: {
            Self.semanticOn(&$0)
            $0.policy.semantic = .off
        }) { gateway in
            // Stored by a request that did not match semantically, the original is indexed in the background.
            let original = try await gateway.chat(Self.original)
            try await Self.waitUntilIndexed(original.cacheKey, in: gateway)
            #expect(try await gateway.chat(Self.paraphrase).repriseStatus == "miss")
            #expect(try await gateway.chat(Self.paraphrase + "?", headers: [.repriseSemantic: "on"]).repriseStatus == "semantic-hit")
            #expect(try await gateway.chat(Self.paraphrase + "!", headers: [.repriseSemantic: "off"]).repriseStatus == "miss")
            let refused = try await gateway.chat(Self.paraphrase, headers: [.repriseSemantic: "sometimes"])
            try refused.expectOpenAIError(status: .badRequest, code: "invalid_header")
            #expect(refused.text.contains("X-Reprise-Semantic"))
        }
    }

    @Test func anAnswerTheClientOrARuleKeptFromSemanticMatchingIsNeverIndexed() async throws {
        try await GatewayHarness.run(embedder: Self.embedder.named, configure: Self.semanticOn) { gateway in
            let original = try await gateway.chat(Self.original, headers: [.repriseSemantic: "off"])
            try await gateway.waitUntilBackgroundIsIdle(adminToken: "admin")
            let entry = try await gateway.store.entry(for: try #require(CacheKey(hex: original.cacheKey ?? "")))
            #expect(entry != nil && entry?.semantic == nil)
            #expect(try await gateway.chat(Self.paraphrase).repriseStatus == "miss")
        }
    }

    /// Waits until the entry under `key` carries its embedding (answers not looked up semantically are
    /// indexed in the background).
    static func waitUntilIndexed(_ key: String?, in gateway: GatewayHarness) async throws {
        let key = try #require(CacheKey(hex: key ?? ""))
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await gateway.store.entry(for: key)?.semantic != nil { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the entry was not indexed within a minute")
    }

    @Test func withMatchingSwitchedOffEveryRequestIsMatchedExactly() async throws {
        try await GatewayHarness.run(embedder: Self.embedder.named, configure: {
            Self.semanticOn(&$0)
            $0.semantic.isEnabled = false
        }) { gateway in
            let original = try await gateway.chat(Self.original)
            #expect(try await gateway.chat(Self.paraphrase, headers: [.repriseSemantic: "on"]).repriseStatus == "miss")
            try await gateway.waitUntilBackgroundIsIdle(adminToken: "admin")
            #expect(try await gateway.store.entry(for: try #require(CacheKey(hex: original.cacheKey ?? "")))?.semantic == nil)
            let stats = try await gateway.get("/admin/stats", headers: .bearer("admin")).json()
            #expect(stats["semantic"]?["enabled"]?.boolValue == false)
        }
    }

    @Test func aRuleEnablesMatchingForOneModelOnly() async throws {
        try await GatewayHarness.run(embedder: Self.embedder.named, configure: {
            Self.semanticOn(&$0)
            $0.policy.semantic = .off
            $0.policy.rules = [PolicyRule(name: "faq", model: Glob("faq-*"), action: .defaultTimeToLive, semantic: .threshold(0.98))]
        }) { gateway in
            try await gateway.chat(Self.original, model: "faq-bot")
            #expect(try await gateway.chat(Self.paraphrase, model: "faq-bot").repriseStatus == "semantic-hit")
            let other = try await gateway.chat(Self.original, model: "gpt-4o")
            try await Self.waitUntilIndexed(other.cacheKey, in: gateway)
            #expect(try await gateway.chat(Self.paraphrase, model: "gpt-4o").repriseStatus == "miss")
        }
    }

    @Test func guardsVetoAMatchThatDiffersInANumber() async throws {
        let first = "Where is my order #48213?"
        let second = "Where is my order #48231?"
        let embedder = StubEmbedder(exact: [first: StubEmbedder.axis(2), second: StubEmbedder.near(2, similarity: 0.99, towards: 3)])
        try await GatewayHarness.run(embedder: embedder.named, configure: Self.semanticOn) { gateway in
            try await gateway.chat(first)
            let vetoed = try await gateway.chat(second)
            #expect(vetoed.repriseStatus == "miss")
            #expect(gateway.upstream.callCount() == 2)
        }
        try await GatewayHarness.run(embedder: embedder.named, configure: {
            Self.semanticOn(&$0)
            $0.semantic.guards.enabled.remove(.numbers)
        }) { gateway in
            try await gateway.chat(first)
            #expect(try await gateway.chat(second).repriseStatus == "semantic-hit")
        }
    }

    @Test func aFollowUpInAnotherConversationNeverHits() async throws {
        @Sendable func conversation(about person: String, asking question: String) -> String {
            JSONValue.object([
                "model": "gpt-4o-mini",
                "messages": [
                    ["role": "user", "content": .string("Tell me about \(person).")],
                    ["role": "assistant", "content": .string("\(person) was a physicist.")],
                    ["role": "user", "content": .string(question)],
                ],
            ]).canonicalText
        }
        let embedder = StubEmbedder(exact: ["How old is he?": StubEmbedder.axis(4), "How old was he?": StubEmbedder.near(4, similarity: 0.99, towards: 5)])
        try await GatewayHarness.run(embedder: embedder.named, configure: Self.semanticOn) { gateway in
            try await gateway.post("/v1/chat/completions", json: conversation(about: "Einstein", asking: "How old is he?"))
            // The same follow-up, word for word, after another conversation: never answered from the first.
            let other = try await gateway.post("/v1/chat/completions", json: conversation(about: "Newton", asking: "How old is he?"))
            #expect(other.repriseStatus == "miss")
            // A paraphrase in the same conversation is.
            let same = try await gateway.post("/v1/chat/completions", json: conversation(about: "Einstein", asking: "How old was he?"))
            #expect(same.repriseStatus == "semantic-hit")
            #expect(gateway.upstream.callCount() == 2)
        }
    }

    @Test func noCacheVolatilityAndEmbeddingsAreNeverMatchedSemantically() async throws {
        var embedder = Self.embedder
        embedder.contains = [("France today", StubEmbedder.axis(6))]
        try await GatewayHarness.run(embedder: embedder.named, configure: {
            Self.semanticOn(&$0)
            $0.policy.volatilityDetector = try VolatilityDetector()
        }) { gateway in
            try await gateway.chat(Self.original)
            #expect(try await gateway.chat(Self.paraphrase, headers: [.cacheControl: "no-cache"]).repriseStatus == "miss")
            try await gateway.post("/v1/embeddings", json: #"{"model":"text-embedding-3-small","input":"What is the capital of France?"}"#)
            let embedding = try await gateway.post("/v1/embeddings", json: #"{"model":"text-embedding-3-small","input":"Tell me the capital of France"}"#)
            #expect(embedding.repriseStatus == "miss")
            try await gateway.chat("What is the capital of France today?")
            let timely = try await gateway.chat("Tell me the capital of France today")
            #expect(timely.repriseStatus == "miss")
        }
    }

    @Test func theRequestLogNamesTheMatchedEntry() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reprise-semantic-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("requests.jsonl").path
        let keys = try await GatewayHarness.run(embedder: Self.embedder.named, configure: {
            Self.semanticOn(&$0)
            $0.requestLogPath = path
        }) { gateway in
            let first = try await gateway.chat(Self.original)
            let second = try await gateway.chat(Self.paraphrase)
            return (first.cacheKey, second.cacheKey)
        }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let records = try lines.map { try JSONDecoder().decode(RequestLogRecord.self, from: Data($0.utf8)) }
        let hit = try #require(records.first { $0.cacheStatus == "semantic-hit" })
        #expect(hit.key == keys.1)
        #expect(hit.matchedKey == keys.0)
        #expect(hit.similarity == 0.99)
        #expect(hit.savedTokens > 0)
    }

    @Test func shadowModeCountsASemanticMatchWithoutServingIt() async throws {
        try await GatewayHarness.run(embedder: Self.embedder.named, configure: {
            Self.semanticOn(&$0)
            $0.shadowMode = true
        }) { gateway in
            try await gateway.chat(Self.original)
            let second = try await gateway.chat(Self.paraphrase)
            #expect(second.repriseStatus == "shadow")
            #expect(gateway.upstream.callCount() == 2)
        }
    }
}
