import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseTesting
import Testing

/// `/metrics` in Prometheus text format: bounded labels, never a prompt or a credential.
@Suite struct MetricsTests {
    static let credential = "sk-metrics-credential-8f3a"
    static let prompt = "Which zeppelin crossed the Atlantic first?"

    @Test func requestsAreCountedByRouteAndCacheStatus() async throws {
        try await GatewayHarness.run { gateway in
            try await gateway.chat(Self.prompt, headers: .bearer(Self.credential))
            try await gateway.chat(Self.prompt, headers: .bearer(Self.credential))

            let response = try await gateway.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = response.text
            #expect(text.contains(#"reprise_requests_total{route="/v1/chat/completions",cache_status="hit"} 1"#))
            #expect(text.contains(#"reprise_requests_total{route="/v1/chat/completions",cache_status="miss"} 1"#))
            #expect(text.contains("reprise_gateway_overhead_seconds_bucket"))
            #expect(text.contains("reprise_upstream_duration_seconds_bucket"))
            #expect(text.contains("reprise_tokens_saved_total"))
            #expect(text.contains("reprise_store_entries 1"))
            #expect(!text.contains(Self.credential))
            #expect(!text.contains("zeppelin"))
            #expect(!text.contains("gpt-4o-mini"))
        }
    }

    @Test func errorsAreCountedWithoutTheirInput() async throws {
        try await GatewayHarness.run { gateway in
            try await gateway.post("/v1/chat/completions", json: #"{"model":"gpt-4o-mini","messages":"#)
            let text = try await gateway.get("/metrics").text
            #expect(text.contains(#"reprise_requests_total{route="/v1/chat/completions",cache_status="error"} 1"#))
        }
    }
}
