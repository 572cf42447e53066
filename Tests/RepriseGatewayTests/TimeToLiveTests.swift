import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// Entries live for the default TTL, for what the client asks with `X-Reprise-TTL`, and never longer than
/// the configured maximum; time moves only when the test moves the clock.
@Suite struct TimeToLiveTests {
    static func ttl(_ seconds: String) -> HTTPFields { [.repriseTTL: seconds] }

    @Test func entryExpiresAfterTheDefaultFiveMinutes() async throws {
        try await GatewayHarness.run { gateway in
            let first = try await gateway.chat("Explain photosynthesis.")
            gateway.clock.advance(by: .seconds(299))
            let beforeExpiry = try await gateway.chat("Explain photosynthesis.")
            #expect(beforeExpiry.repriseStatus == "hit")
            #expect(beforeExpiry.cacheStatus == "reprise; hit; ttl=1")
            #expect(beforeExpiry.bytes == first.bytes)

            gateway.clock.advance(by: .seconds(2))
            let afterExpiry = try await gateway.chat("Explain photosynthesis.")
            #expect(afterExpiry.repriseStatus == "miss")
            #expect(afterExpiry.answerID != first.answerID)
            #expect(gateway.upstream.callCount() == 2)
        }
    }

    @Test func clientTimeToLiveSetsTheLifetime() async throws {
        try await GatewayHarness.run { gateway in
            let first = try await gateway.chat("Explain tides.", headers: Self.ttl("10"))
            #expect(first.cacheStatus == "reprise; fwd=uri-miss; stored")
            gateway.clock.advance(by: .seconds(9))
            let hit = try await gateway.chat("Explain tides.")
            #expect(hit.repriseStatus == "hit")
            #expect(hit.cacheStatus == "reprise; hit; ttl=1")

            gateway.clock.advance(by: .seconds(2))
            let expired = try await gateway.chat("Explain tides.")
            #expect(expired.repriseStatus == "miss")
            #expect(gateway.upstream.callCount() == 2)
        }
    }

    @Test func zeroTimeToLiveIsNotStored() async throws {
        try await GatewayHarness.run { gateway in
            let first = try await gateway.chat("Explain volcanoes.", headers: Self.ttl("0"))
            #expect(first.status == .ok)
            #expect(first.repriseStatus == "miss")
            #expect(first.cacheStatus == "reprise; fwd=uri-miss")
            #expect(try await gateway.storedEntries() == 0)

            let second = try await gateway.chat("Explain volcanoes.")
            #expect(second.repriseStatus == "miss")
            #expect(gateway.upstream.callCount() == 2)
        }
    }

    @Test func maximumTimeToLiveCapsTheClientsRequest() async throws {
        try await GatewayHarness.run(configure: { $0.policy.maximumTimeToLive = .seconds(60) }) { gateway in
            try await gateway.chat("Explain comets.", headers: Self.ttl("3600"))
            let hit = try await gateway.chat("Explain comets.")
            #expect(hit.cacheStatus == "reprise; hit; ttl=60")

            gateway.clock.advance(by: .seconds(61))
            let expired = try await gateway.chat("Explain comets.")
            #expect(expired.repriseStatus == "miss")
            #expect(gateway.upstream.callCount() == 2)
        }
    }

    @Test func configuredDefaultTimeToLiveApplies() async throws {
        try await GatewayHarness.run(configure: { $0.policy.defaultTimeToLive = .seconds(30) }) { gateway in
            try await gateway.chat("Explain eclipses.")
            gateway.clock.advance(by: .seconds(31))
            let expired = try await gateway.chat("Explain eclipses.")
            #expect(expired.repriseStatus == "miss")
            #expect(gateway.upstream.callCount() == 2)
        }
    }
}
