import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseTesting
import Testing

/// The client's `Cache-Control` request directives: `no-store`, `no-cache` and `max-age`.
@Suite struct CacheControlTests {
    static func cacheControl(_ value: String) -> HTTPFields { [.cacheControl: value] }

    @Test func noStoreAnswerIsNotStored() async throws {
        try await GatewayHarness.run { gateway in
            let first = try await gateway.chat("Draft a haiku.", headers: Self.cacheControl("no-store"))
            #expect(first.status == .ok)
            #expect(first.cacheStatus == "reprise; fwd=uri-miss")
            #expect(try await gateway.storedEntries() == 0)

            let second = try await gateway.chat("Draft a haiku.")
            #expect(second.repriseStatus == "miss")
            #expect(second.answerID != first.answerID)
            #expect(gateway.upstream.callCount() == 2)
        }
    }

    @Test func noCacheCallsUpstreamAndStoresTheFreshAnswer() async throws {
        try await GatewayHarness.run { gateway in
            let stale = try await gateway.chat("Draft a limerick.")
            let fresh = try await gateway.chat("Draft a limerick.", headers: Self.cacheControl("no-cache"))
            #expect(fresh.status == .ok)
            #expect(fresh.repriseStatus == "miss")
            #expect(fresh.cacheStatus == "reprise; fwd=request; stored")
            #expect(fresh.answerID != stale.answerID)
            #expect(gateway.upstream.callCount() == 2)

            let next = try await gateway.chat("Draft a limerick.")
            #expect(next.repriseStatus == "hit")
            #expect(next.bytes == fresh.bytes)
            #expect(gateway.upstream.callCount() == 2)
        }
    }

    @Test func maxAgeRefusesAnOlderEntry() async throws {
        try await GatewayHarness.run { gateway in
            let original = try await gateway.chat("Draft a sonnet.")
            gateway.clock.advance(by: .seconds(30))

            let youngEnough = try await gateway.chat("Draft a sonnet.", headers: Self.cacheControl("max-age=60"))
            #expect(youngEnough.repriseStatus == "hit")
            #expect(youngEnough.bytes == original.bytes)

            let tooOld = try await gateway.chat("Draft a sonnet.", headers: Self.cacheControl("max-age=10"))
            #expect(tooOld.repriseStatus == "miss")
            #expect(tooOld.cacheStatus == "reprise; fwd=stale; stored")
            #expect(tooOld.answerID != original.answerID)
            #expect(gateway.upstream.callCount() == 2)

            let refreshed = try await gateway.chat("Draft a sonnet.", headers: Self.cacheControl("max-age=10"))
            #expect(refreshed.repriseStatus == "hit")
            #expect(refreshed.bytes == tooOld.bytes)
            #expect(refreshed.headers[.age] == "0")
        }
    }
}
