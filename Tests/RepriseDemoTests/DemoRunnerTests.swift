import RepriseDemo
import Testing

@Suite struct DemoRunnerTests {
    /// A small, fast run end to end: fake provider, gateway, traffic, report.
    @Test func demoReportsWhatTheCacheDid() async throws {
        var options = DemoRunner.Options()
        options.traffic = DemoTraffic(requests: 60, bursts: 2, burstSize: 5)
        options.latency = .milliseconds(20)
        options.latencySpread = .milliseconds(20)
        let report = try await DemoRunner(options: options).run()
        #expect(report.requests == 60)
        #expect(report.hits + report.misses + report.coalesced == 60)
        // Every provider call is a miss; everything else was answered without one.
        #expect(report.upstreamCalls == report.misses)
        #expect(report.hits > 0)
        #expect(report.coalesced > 0)
        #expect(report.savedTokens > 0)
        #expect(report.savedDollars > 0)
        #expect(report.medianWithCache < report.medianWithoutCache)
        let text = report.rendered(styled: false)
        #expect(text.contains("Served from the cache"))
        #expect(text.contains("\(report.upstreamCalls)"))
        #expect(!text.contains("\u{1B}["))
    }
}
