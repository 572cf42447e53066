import Foundation
import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// Without a configured secret the gateway keeps one in its state directory, so namespaces (and so a
/// persistent or shared cache) survive a restart.
@Suite struct StateDirectoryTests {
    @Test func namespacesSurviveARestart() async throws {
        try await withTemporaryDirectory { directory in
            let clock = ManualClock()
            let store = MemoryCacheStore(clock: clock)
            let configure: @Sendable (inout GatewayConfiguration) -> Void = {
                $0.namespaceSecret = nil
                $0.stateDirectory = directory
            }
            let before = try await GatewayHarness.run(clock: clock, store: store, configure: configure) { gateway in
                try await gateway.chat("Remember me.", headers: .bearer("sk-restart")).bytes
            }
            let after = try await GatewayHarness.run(clock: clock, store: store, configure: configure) { gateway in
                try await gateway.chat("Remember me.", headers: .bearer("sk-restart"))
            }
            #expect(after.repriseStatus == "hit")
            #expect(after.bytes == before)

            let secretPath = directory + "/server-secret"
            let attributes = try FileManager.default.attributesOfItem(atPath: secretPath)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            let secret = try String(contentsOfFile: secretPath, encoding: .utf8)
            #expect(!secret.contains("sk-restart"))
        }
    }

    @Test func unwritableRequestLogFailsAtStartNamingThePath() async throws {
        try await withTemporaryDirectory { directory in
            let blocker = directory + "/not-a-directory"
            try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
            var configuration = GatewayConfiguration()
            configuration.namespaceSecret = GatewayHarness.secret
            configuration.requestLogPath = blocker + "/requests.jsonl"
            let error = #expect(throws: ConfigurationError.self) {
                _ = try buildApplication(configuration: configuration, clock: ManualClock())
            }
            #expect(error?.message.contains(blocker + "/requests.jsonl") == true)
        }
    }
}
