import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// What a client sees when the upstream is down, slow or answers with an error.
@Suite struct UpstreamFailureTests {
    @Test func unreachableUpstreamIsA502() async throws {
        // The port the fake listened on, closed again once it has stopped.
        let closedURL = try await FakeUpstream().withRunning { $0 }
        try await GatewayHarness.run(configure: { $0.upstreamURL = closedURL }) { gateway in
            let response = try await gateway.chat("Is anybody there?")
            try response.expectOpenAIError(status: .badGateway, code: "upstream_unreachable")
            #expect(try response.json()["error"]?["type"]?.stringValue == "upstream_error")
            #expect(try await gateway.storedEntries() == 0)
        }
    }

    @Test func slowUpstreamIsA504AfterTheTimeout() async throws {
        try await GatewayHarness.run(configure: { $0.upstreamTimeout = .milliseconds(200) }) { gateway in
            let started = ContinuousClock.now
            // The upstream would take a minute: a 504 well before that came from the timeout.
            let response = try await gateway.chat("Take your time.", model: "slow-60000")
            let waited = ContinuousClock.now - started
            try response.expectOpenAIError(status: .gatewayTimeout, code: "upstream_timeout")
            #expect(waited < .seconds(20))
            #expect(try await gateway.storedEntries() == 0)
        }
    }

    @Test func upstreamAnswerOverTheLimitIsA502() async throws {
        try await GatewayHarness.run(configure: { $0.maximumResponseBytes = 100 }) { gateway in
            let response = try await gateway.chat("Write at length.")
            try response.expectOpenAIError(status: .badGateway, code: "upstream_response_too_large")
            #expect(try await gateway.storedEntries() == 0)
        }
    }

    /// The fake upstream's error body for `error-429`, in canonical JSON.
    static let rateLimitBody =
        #"{"error":{"code":"fake_429","message":"The fake upstream was asked to fail with 429.","param":null,"type":"invalid_request_error"}}"#

    @Test func upstreamErrorPassesThroughUnchangedAndIsNotCached() async throws {
        try await GatewayHarness.run { gateway in
            for _ in 0..<2 {
                let response = try await gateway.chat("Too many requests?", model: "error-429")
                #expect(response.status == .tooManyRequests)
                #expect(response.text == Self.rateLimitBody)
                #expect(response.repriseStatus == "miss")
                #expect(response.cacheStatus == "reprise; fwd=uri-miss")
            }
            #expect(gateway.upstream.callCount() == 2)
            #expect(try await gateway.storedEntries() == 0)
        }
    }

    @Test func successAfterAScriptedFailureIsStored() async throws {
        let upstream = FakeUpstream(behavior: FakeUpstreamBehavior(failuresRemaining: 1, failureStatus: 500))
        try await GatewayHarness.run(upstream: upstream) { gateway in
            let failure = try await gateway.chat("Try again.")
            #expect(failure.status == .internalServerError)
            #expect(try failure.json()["error"]?["code"]?.stringValue == "fake_500")
            #expect(try await gateway.storedEntries() == 0)

            let success = try await gateway.chat("Try again.")
            #expect(success.status == .ok)
            #expect(success.cacheStatus == "reprise; fwd=uri-miss; stored")

            let hit = try await gateway.chat("Try again.")
            #expect(hit.repriseStatus == "hit")
            #expect(hit.bytes == success.bytes)
            #expect(gateway.upstream.callCount() == 2)
        }
    }
}
