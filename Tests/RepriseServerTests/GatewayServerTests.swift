import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Reprise
import RepriseGateway
@testable import RepriseServer
import RepriseSemantic
import RepriseTesting
import Testing

/// The gateway `reprise serve` runs, built in-process from a settings value by the same composition root:
/// the store, request log and secret the settings name are the ones used.
@Suite(.timeLimit(.minutes(2))) struct GatewayServerTests {
    @Test func aGatewayBuiltFromSettingsServesFromTheStoreTheyName() async throws {
        try await withTemporaryDirectory { directory in
            let upstream = FakeUpstream()
            try await upstream.withRunning { baseURL in
                var configuration = GatewayConfiguration()
                configuration.host = "127.0.0.1"
                configuration.port = 0
                configuration.upstreamURL = baseURL
                configuration.anthropicUpstreamURL = baseURL
                configuration.stateDirectory = directory + "/state"
                configuration.store = try StoreLocation(url: "sqlite://\(directory)/cache.db")
                configuration.requestLogPath = directory + "/requests.jsonl"
                configuration.adminToken = ServerTestValues.adminToken
                let gateway = try await GatewayServer.make(configuration: configuration, clock: SystemEpochClock(), logger: Logger(label: "test"))
                try await gateway.test(.live) { client in
                    let body = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Built as serve builds it."}]}"#
                    var statuses: [String?] = []
                    for _ in 0..<2 {
                        let response = try await client.execute(
                            uri: "/v1/chat/completions", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body))
                        #expect(response.status == .ok)
                        statuses.append(response.headers[HTTPField.Name("x-reprise-status")!])
                    }
                    #expect(statuses == ["miss", "hit"])
                    let answer = try await client.execute(
                        uri: "/admin/stats", method: .get, headers: [.authorization: "Bearer \(ServerTestValues.adminToken)"])
                    let stats = try JSONParser.parse(Array(answer.body.readableBytesView))
                    #expect(stats["store"]?["entries"]?.intValue == 1)
                }
                #expect(upstream.callCount() == 1)
                #expect(FileManager.default.fileExists(atPath: directory + "/cache.db"), "the SQLite store the settings name")
                #expect(FileManager.default.fileExists(atPath: directory + "/state/server-secret"), "the secret in the state directory")
                let log = try String(contentsOfFile: directory + "/requests.jsonl", encoding: .utf8)
                #expect(log.split(separator: "\n").count == 2)
            }
        }
    }

    @Test func aStoreThatCannotBeOpenedStopsTheBuildNamingIt() async throws {
        try await withTemporaryDirectory { directory in
            var configuration = GatewayConfiguration()
            configuration.stateDirectory = directory
            // A directory where the database file should be.
            try FileManager.default.createDirectory(atPath: directory + "/cache.db", withIntermediateDirectories: true)
            configuration.store = try StoreLocation(url: "sqlite://\(directory)/cache.db")
            let error = await #expect(throws: (any Error).self) {
                _ = try await GatewayServer.make(configuration: configuration, clock: SystemEpochClock(), logger: Logger(label: "test"))
            }
            #expect("\(error.map { "\($0)" } ?? "")".contains(directory + "/cache.db"))
        }
    }
}
