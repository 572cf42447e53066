import RepriseDemo
import Testing

@Suite struct DemoTrafficTests {
    @Test func trafficHasTheRequestedSizeAndBursts() {
        let traffic = DemoTraffic(requests: 240, bursts: 6, burstSize: 8)
        #expect(traffic.requestCount == 240)
        #expect(traffic.burstCount == 6)
        for wave in traffic.waves where wave.requests.count > 1 {
            #expect(Set(wave.requests.map(\.question)).count == 1)
        }
    }

    @Test func popularityFallsOffLikeZipf() {
        let traffic = DemoTraffic(requests: 2000, bursts: 0)
        let questions = traffic.waves.flatMap(\.requests).map(\.question)
        let top = questions.filter { $0 == DemoTraffic.questions[0] }.count
        let tenth = questions.filter { $0 == DemoTraffic.questions[9] }.count
        // With exponent 1.1 the first question is asked about 10^1.1 ≈ 12.6 times as often as the tenth.
        #expect(top > 6 * tenth)
        #expect(Set(questions).count > 30)
    }

    @Test func trafficIsTheSameOnEveryRun() {
        #expect(DemoTraffic(seed: 3).waves == DemoTraffic(seed: 3).waves)
        #expect(DemoTraffic(seed: 3).waves != DemoTraffic(seed: 4).waves)
    }

    @Test func aboutAQuarterStreams() {
        let requests = DemoTraffic(requests: 2000, bursts: 0).waves.flatMap(\.requests)
        let share = Double(requests.filter(\.streams).count) / Double(requests.count)
        #expect(abs(share - 0.25) < 0.05)
    }
}
