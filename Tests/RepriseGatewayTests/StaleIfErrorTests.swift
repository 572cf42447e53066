import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// An expired answer stands in for a failing upstream, only within the configured window.
@Suite struct StaleIfErrorTests {
    static func configure(window: Duration) -> @Sendable (inout GatewayConfiguration) -> Void {
        { configuration in
            configuration.staleIfError = window
            configuration.policy.defaultTimeToLive = .seconds(10)
            // Long enough for a first call while the whole suite runs in parallel on a busy machine.
            configuration.upstreamTimeout = .seconds(10)
        }
    }

    @Test func anExpiredAnswerIsServedWhenTheUpstreamFailsInsideTheWindow() async throws {
        try await GatewayHarness.run(configure: Self.configure(window: .seconds(60))) { gateway in
            let fresh = try await gateway.chat("Opening hours?")
            gateway.clock.advance(by: .seconds(30))
            gateway.upstream.behavior.failuresRemaining = 1
            let stale = try await gateway.chat("Opening hours?")
            #expect(stale.status == .ok)
            #expect(stale.repriseStatus == "stale")
            #expect(stale.cacheStatus?.contains("detail=stale-if-error") == true)
            #expect(stale.headers[.age] == "30")
            #expect(stale.bytes == fresh.bytes)
        }
    }

    @Test func aTimeoutIsCoveredToo() async throws {
        try await GatewayHarness.run(configure: Self.configure(window: .seconds(60))) { gateway in
            let fresh = try await gateway.chat("Opening hours?")
            gateway.clock.advance(by: .seconds(30))
            // Far past the timeout, so only the timeout ends the call.
            gateway.upstream.behavior.latency = .seconds(120)
            let stale = try await gateway.chat("Opening hours?")
            #expect(stale.repriseStatus == "stale")
            #expect(stale.bytes == fresh.bytes)
        }
    }

    @Test func anUnreachableUpstreamIsCoveredToo() async throws {
        let clock = ManualClock()
        let store = MemoryCacheStore(clock: clock)
        let fresh = try await GatewayHarness.run(clock: clock, store: store, configure: Self.configure(window: .seconds(60))) { gateway in
            try await gateway.chat("Opening hours?")
        }
        clock.advance(by: .seconds(30))
        // The same store behind a gateway whose upstream has gone away.
        let closedURL = try await FakeUpstream().withRunning { $0 }
        let window = Self.configure(window: .seconds(60))
        try await GatewayHarness.run(clock: clock, store: store, configure: { window(&$0); $0.upstreamURL = closedURL }) { gateway in
            let stale = try await gateway.chat("Opening hours?")
            #expect(stale.status == .ok)
            #expect(stale.repriseStatus == "stale")
            #expect(stale.cacheStatus?.contains("detail=stale-if-error") == true)
            #expect(stale.bytes == fresh.bytes)
            clock.advance(by: .seconds(41))
            let failed = try await gateway.chat("Opening hours?")
            try failed.expectOpenAIError(status: .badGateway, code: "upstream_unreachable")
        }
    }

    @Test func statisticsCountStaleAnswers() async throws {
        let window = Self.configure(window: .seconds(60))
        try await GatewayHarness.run(configure: { window(&$0); $0.adminToken = "admin" }) { gateway in
            _ = try await gateway.chat("Opening hours?")
            gateway.clock.advance(by: .seconds(30))
            gateway.upstream.behavior.failuresRemaining = 2
            #expect(try await gateway.chat("Opening hours?").repriseStatus == "stale")
            #expect(try await gateway.chat("Opening hours?").repriseStatus == "stale")
            let stats = try await gateway.get("/admin/stats", headers: .bearer("admin")).json()
            #expect(stats["stale"]?.intValue == 2)
            #expect(stats["misses"]?.intValue == 1)
            #expect(stats["requests"]?.intValue == 3)
        }
    }

    @Test func pastTheWindowTheFailureIsReturned() async throws {
        try await GatewayHarness.run(configure: Self.configure(window: .seconds(60))) { gateway in
            _ = try await gateway.chat("Opening hours?")
            gateway.clock.advance(by: .seconds(10 + 60 + 1))
            gateway.upstream.behavior.failuresRemaining = 1
            let failed = try await gateway.chat("Opening hours?")
            #expect(failed.status.code == 500)
            #expect(try failed.json()["error"]?["code"]?.stringValue == "fake_500")
            #expect(failed.repriseStatus == "miss")
        }
    }

    @Test func noCacheNeverGetsAStaleAnswer() async throws {
        try await GatewayHarness.run(configure: Self.configure(window: .seconds(60))) { gateway in
            _ = try await gateway.chat("Opening hours?")
            gateway.clock.advance(by: .seconds(30))
            gateway.upstream.behavior.failuresRemaining = 1
            let failed = try await gateway.chat("Opening hours?", headers: [.cacheControl: "no-cache"])
            #expect(failed.status.code == 500)
        }
    }

    @Test func offByDefault() async throws {
        try await GatewayHarness.run(configure: Self.configure(window: .zero)) { gateway in
            _ = try await gateway.chat("Opening hours?")
            gateway.clock.advance(by: .seconds(11))
            gateway.upstream.behavior.failuresRemaining = 1
            let failed = try await gateway.chat("Opening hours?")
            #expect(failed.status.code == 500)
        }
    }

    @Test func aStreamingClientGetsTheStaleAnswerAsAStream() async throws {
        try await GatewayHarness.run(configure: Self.configure(window: .seconds(60))) { gateway in
            let fresh = try await gateway.chat("Opening hours?")
            let content = try fresh.json()["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue
            gateway.clock.advance(by: .seconds(30))
            gateway.upstream.behavior.failuresRemaining = 1
            let stale = try await gateway.post("/v1/chat/completions", json: GatewayHarness.chatBody("Opening hours?", stream: true))
            #expect(stale.repriseStatus == "stale")
            #expect(SSE.content(of: stale.text) == content)
        }
    }
}
