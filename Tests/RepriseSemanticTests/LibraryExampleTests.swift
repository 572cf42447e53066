import Foundation
import Logging
import Reprise
import RepriseMemcached
import RepriseSemantic
import Synchronization
import Testing

/// The second example of docs/library.md, compiled and run against memcached (scripts/test.sh starts it) and
/// the built-in model: a resilient shared store, coalesced API calls and semantic matching, without the
/// gateway. The test fails when the page's code and this file's differ.
@Suite(
    .enabled(if: ProcessInfo.processInfo.environment["REPRISE_TEST_MEMCACHED_URL"] != nil && TestModel.isAvailable,
        "needs REPRISE_TEST_MEMCACHED_URL and REPRISE_TEST_MODEL_DIR; run scripts/test.sh"))
struct LibraryExampleTests {
    /// Stands in for the program's API client, counting its calls.
    final class FakeAPI: Sendable {
        private let count = Atomic(0)
        var calls: Int { count.load(ordering: .relaxed) }

        func send(_ body: [UInt8]) async throws -> [UInt8] {
            count.add(1, ordering: .relaxed)
            return Array(#"{"id":"chatcmpl-1","choices":[{"message":{"role":"assistant","content":"Paris."}}],"usage":{"prompt_tokens":12,"completion_tokens":2}}"#.utf8)
        }
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theExampleServesExactlyCoalescesAndMatchesBySimilarity() async throws {
        let api = FakeAPI()
        let memcachedURL = try #require(ProcessInfo.processInfo.environment["REPRISE_TEST_MEMCACHED_URL"])
        let modelDirectory = try #require(TestModel.directory)
        let namespace = "library-example-\(UUID().uuidString)"
        // A deadline no busy machine reaches: the test is about what the cache serves, not about a slow store.
        let deadline = Duration.seconds(60)
        let request = Array(#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"What is the capital of France?"}]}"#.utf8)
        let question = Array(#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"How do I reset my password"}]}"#.utf8)
        let rephrased = Array(#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"How do I reset my password?"}]}"#.utf8)
        // --- docs/library.md example begins ---
        let clock = SystemEpochClock()
        let memcached = try MemcachedCacheStore(configuration: MemcachedConfiguration(url: memcachedURL), clock: clock)
        let store = ResilientCacheStore(wrapping: memcached, deadline: deadline, clock: clock, logger: Logger(label: "cache"))
        let cache = ResponseCache(store: store, namespace: namespace, timeToLive: .seconds(600), clock: clock)

        // Identical requests: from the cache, or one API call shared by everyone asking meanwhile.
        let answer = try await cache.answer(for: request) { try await api.send(request) }

        // Similar requests too: same model, system prompt and earlier turns; a last user turn close in meaning.
        let embedder = try BuiltInEmbedder(model: .miniLM, modelDirectory: modelDirectory)
        let background = BackgroundWork()
        let (first, second) = try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await background.run() }
            defer { background.finish() }
            let similar = SemanticResponseCache(cache: cache, embedder: embedder, embedderName: "all-MiniLM-L6-v2", background: background)
            let first = try await similar.answer(for: question) { try await api.send(question) }  // source: .fetched
            let second = try await similar.answer(for: rephrased) { try await api.send(rephrased) }  // .semantic(similarity:)
            return (first, second)
        }
        memcached.close()
        // --- docs/library.md example ends ---
        #expect(api.calls == 2, "the rephrased question was not sent to the API")
        #expect(!answer.isEmpty)
        #expect(first.source == .fetched)
        #expect(second.body == first.body)
        guard case .semantic(let similarity) = second.source else {
            Issue.record("the rephrased question was answered from \(second.source), not by similarity")
            return
        }
        #expect(similarity >= 0.96)
    }

    @Test func thePageShowsThisFilesCode() throws {
        let page = try String(contentsOf: Self.root.appendingPathComponent("docs/library.md"), encoding: .utf8)
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        func lines(_ text: Substring) -> [String] {
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("import ") }
        }
        let begin = try #require(source.range(of: "// --- docs/library.md example begins ---\n"))
        let end = try #require(source.range(of: "        // --- docs/library.md example ends ---"))
        let tested = lines(source[begin.upperBound..<end.lowerBound])
        let sectionStart = try #require(page.range(of: "## A shared store, coalescing and semantic matching"))
        let blockStart = try #require(page[sectionStart.upperBound...].range(of: "```swift\n"))
        let blockEnd = try #require(page[blockStart.upperBound...].range(of: "```"))
        #expect(lines(page[blockStart.upperBound..<blockEnd.lowerBound]) == tested)
    }
}
