import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// Shadow mode measures what the cache would serve without serving anything from it.
@Suite struct ShadowModeTests {
    @Test func repeatedRequestStillGoesUpstreamAndIsCountedAsAWouldBeHit() async throws {
        let configure: @Sendable (inout GatewayConfiguration) -> Void = {
            $0.shadowMode = true
            $0.adminToken = "admin-secret"
        }
        try await GatewayHarness.run(configure: configure) { gateway in
            let first = try await gateway.chat("List the planets.")
            let second = try await gateway.chat("List the planets.")
            #expect(first.repriseStatus == "miss")
            #expect(second.status == .ok)
            #expect(second.repriseStatus == "shadow")
            #expect(second.cacheStatus?.hasPrefix("reprise; fwd=") == true)
            #expect(second.answerID != first.answerID)
            #expect(gateway.upstream.callCount() == 2)

            let stats = try await gateway.get("/admin/stats", headers: .bearer("admin-secret")).json()
            #expect(stats["shadow_mode"]?.boolValue == true)
            #expect(stats["shadow"]?["would_hit"]?.intValue == 1)
            #expect(stats["shadow"]?["would_save_tokens"]?.intValue ?? 0 > 0)
            #expect(stats["hits"]?.intValue == 0)
            #expect(stats["upstream"]?["calls"]?.intValue == 2)
        }
    }
}
