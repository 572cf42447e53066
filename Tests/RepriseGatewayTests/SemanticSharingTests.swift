import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Reprise
import RepriseGateway
import RepriseSemantic
import RepriseSQLite
import RepriseTesting
import Testing

/// Semantic entries outlive the gateway that stored them: another replica on the same store, or the same
/// gateway restarted on its SQLite file, answers the paraphrase too.
@Suite struct SemanticSharingTests {
    static func semanticOn(_ configuration: inout GatewayConfiguration) {
        SemanticGatewayTests.semanticOn(&configuration)
        configuration.semantic.refreshInterval = .zero
    }

    @Test func anotherReplicaOnTheSameStoreAnswersTheParaphrase() async throws {
        let clock = ManualClock()
        let shared = MemoryCacheStore(clock: clock)
        let embedder = SemanticGatewayTests.embedder.named
        try await GatewayHarness.run(clock: clock, store: shared, embedder: embedder, configure: Self.semanticOn) { first in
            try await first.chat(SemanticGatewayTests.original)
            try await Self.waitForScopeList(in: shared, entries: 2)
        }
        try await GatewayHarness.run(clock: clock, store: shared, embedder: embedder, configure: Self.semanticOn) { second in
            let answer = try await second.chat(SemanticGatewayTests.paraphrase)
            #expect(answer.repriseStatus == "semantic-hit")
            #expect(second.upstream.callCount() == 0)
        }
    }

    @Test func aRestartedGatewayAnswersTheParaphraseFromItsSQLiteFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("reprise-semantic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("cache.db").path
        let clock = ManualClock()

        func withGateway(_ body: @Sendable (any TestClientProtocol, FakeUpstream, SQLiteCacheStore<ManualClock>) async throws -> Void) async throws {
            let store = try await SQLiteCacheStore.open(path: path, clock: clock)
            let upstream = FakeUpstream()
            try await upstream.withRunning { baseURL in
                var configuration = GatewayConfiguration()
                configuration.upstreamURL = baseURL
                configuration.namespaceSecret = GatewayHarness.secret
                Self.semanticOn(&configuration)
                var logger = Logger(label: "reprise.semantic-restart")
                logger.logLevel = .error
                let app = try buildApplication(
                    configuration: configuration, store: store, clock: clock, logger: logger, embedder: SemanticGatewayTests.embedder.named)
                try await app.test(.router) { client in try await body(client, upstream, store) }
            }
            try await store.close()
        }

        let body: @Sendable (String) -> ByteBuffer = { ByteBuffer(string: GatewayHarness.chatBody($0)) }
        try await withGateway { client, upstream, store in
            let first = try await client.execute(
                uri: "/v1/chat/completions", method: .post, headers: [.contentType: "application/json"], body: body(SemanticGatewayTests.original))
            #expect(first.headers[.repriseStatus] == "miss")
            try await Self.waitForScopeList(in: store, entries: 2)
        }
        try await withGateway { client, upstream, _ in
            let second = try await client.execute(
                uri: "/v1/chat/completions", method: .post, headers: [.contentType: "application/json"], body: body(SemanticGatewayTests.paraphrase))
            #expect(second.headers[.repriseStatus] == "semantic-hit")
            #expect(second.headers[.repriseSimilarity] == "0.9900")
            #expect(upstream.callCount() == 0)
        }
    }

    /// Waits until the scope's list has been written beside the answer (it is written in the background).
    static func waitForScopeList(in store: some CacheStore, entries: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await store.statistics().entries >= entries { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the semantic scope list was not written within a minute")
    }
}
