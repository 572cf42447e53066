import RepriseAnalysis
import Testing

/// The replay simulation on logs small enough to work out by hand.
@Suite struct CacheSimulationTests {
    static func request(_ key: UInt64, at time: Double, tokens: Int = 100, dollars: Double = 0.01, size: Int = 1000, bypass: Bool = false) -> SimulatedRequest {
        SimulatedRequest(key: key, time: time, tokens: tokens, dollars: dollars, latency: 1.5, size: size, bypass: bypass)
    }

    /// Key 1 at 0 s, 30 s, 200 s, 400 s; key 2 at 10 s and 4000 s.
    static let log = [
        request(1, at: 0), request(2, at: 10), request(1, at: 30), request(1, at: 200), request(1, at: 400), request(2, at: 4000),
    ]

    @Test func timeToLiveHitsAreCountedFromWhenTheEntryWasStored() throws {
        let outcomes = CacheSimulation.run(Self.log, policies: [.timeToLive(.seconds(60)), .timeToLive(.seconds(300)), .timeToLive(.seconds(3600)), .unlimited])
        // 1 min: key 1 stored at 0, hit at 30; 200 misses (stored at 200); 400 misses. Key 2: 4000 misses.
        #expect(outcomes[0].hits == 1)
        // 5 min: key 1 hits at 30 and 200 (stored at 0); 400 is 400 s after storing: a miss. Key 2 misses.
        #expect(outcomes[1].hits == 2)
        // 1 h: key 1 hits at 30, 200, 400; key 2 at 4000 is 3990 s after storing: a miss.
        #expect(outcomes[2].hits == 3)
        // Unlimited: every repeat hits.
        #expect(outcomes[3].hits == 4)
        #expect(outcomes[3].requests == 6)
        #expect(outcomes[3].savedTokens == 400)
        #expect(abs(outcomes[3].savedDollars - 0.04) < 1e-12)
        #expect(abs(outcomes[3].savedLatency - 6.0) < 1e-12)
        #expect(abs(outcomes[3].hitRate - 4.0 / 6.0) < 1e-12)
    }

    @Test func requestsAreReplayedInTimeOrder() {
        let shuffled = [Self.log[3], Self.log[0], Self.log[5], Self.log[2], Self.log[1], Self.log[4]]
        #expect(CacheSimulation.run(shuffled, policies: [.timeToLive(.seconds(300))])[0].hits == 2)
    }

    @Test func bypassedRequestsNeverHitAndAreNeverStored() {
        let log = [Self.request(7, at: 0, bypass: true), Self.request(7, at: 1, bypass: true), Self.request(7, at: 2), Self.request(7, at: 3)]
        let outcome = CacheSimulation.run(log, policies: [.unlimited])[0]
        #expect(outcome.hits == 1)
    }

    @Test func entryBoundedCachesEvictTheLeastRecentlyUsed() {
        // Capacity 2: A B A C B — C evicts B (A was used more recently), so the last B misses.
        let log = [1, 2, 1, 3, 2].enumerated().map { Self.request(UInt64($0.element), at: Double($0.offset)) }
        #expect(CacheSimulation.run(log, policies: [.entries(2)])[0].hits == 1)
        #expect(CacheSimulation.run(log, policies: [.entries(3)])[0].hits == 2)
        #expect(CacheSimulation.run(log, policies: [.entries(0)])[0].hits == 0)
    }

    @Test func byteBoundedCachesHoldWhatFits() {
        // 2,500 bytes hold two 1,000-byte answers, not three.
        let log = [1, 2, 3, 1].enumerated().map { Self.request(UInt64($0.element), at: Double($0.offset), size: 1000) }
        #expect(CacheSimulation.run(log, policies: [.bytes(2500)])[0].hits == 0)
        #expect(CacheSimulation.run(log, policies: [.bytes(3000)])[0].hits == 1)
        // An answer larger than the whole cache is never held.
        let huge = [Self.request(9, at: 0, size: 5000), Self.request(9, at: 1, size: 5000)]
        #expect(CacheSimulation.run(huge, policies: [.bytes(3000)])[0].hits == 0)
    }

    @Test func theRecommendedTimeToLiveIsTheShortestReachingNinetyPercent() throws {
        let outcomes = CacheSimulation.run(Self.log, policies: SimulatedPolicy.timeToLiveSweep + [.unlimited])
        let recommendation = TimeToLiveRecommendation(outcomes: outcomes)
        // Unlimited saves 4 hits' dollars; 1 h saves 3 (75%); 6 h also catches key 2 after 3,990 s: 4 of 4,
        // the shortest to reach 90%. The default 5 min saves 2 of 4.
        #expect(recommendation.measure == "dollars")
        #expect(recommendation.timeToLive == .seconds(21_600))
        #expect(abs(recommendation.capturedShare - 1.0) < 1e-9)
        #expect(abs(recommendation.defaultCapturedShare - 0.5) < 1e-9)
    }

    @Test func withoutRepeatsNothingIsRecommended() {
        let log = (0..<5).map { Self.request(UInt64($0), at: Double($0)) }
        let recommendation = TimeToLiveRecommendation(outcomes: CacheSimulation.run(log, policies: SimulatedPolicy.timeToLiveSweep + [.unlimited]))
        #expect(recommendation.timeToLive == nil)
        #expect(recommendation.capturedShare == 0)
    }
}
