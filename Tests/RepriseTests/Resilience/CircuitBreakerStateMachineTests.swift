import Testing

@testable import Reprise

@Suite struct CircuitBreakerStateMachineTests {
    let start = EpochInstant(sinceEpoch: .seconds(1000))

    @Test func opensAfterThresholdConsecutiveFailuresOnly() {
        var breaker = CircuitBreakerStateMachine(failureThreshold: 3, baseBackoff: .seconds(1), maximumBackoff: .seconds(8))
        #expect(breaker.recordFailure(at: start) == nil)
        #expect(breaker.recordFailure(at: start) == nil)
        #expect(breaker.recordSuccess() == nil, "a success resets the count")
        #expect(breaker.recordFailure(at: start) == nil)
        #expect(breaker.recordFailure(at: start) == nil)
        #expect(breaker.recordFailure(at: start) == .open(until: start.advanced(by: .seconds(1)), trips: 1))
        #expect(breaker.permission(at: start) == .refuse(retryAfter: .seconds(1)))
    }

    @Test func probesOnceAfterBackoffAndBacksOffLongerEachFailedProbe() {
        var breaker = CircuitBreakerStateMachine(failureThreshold: 1, baseBackoff: .seconds(1), maximumBackoff: .seconds(5))
        var now = start
        _ = breaker.recordFailure(at: now)
        var backoffs: [Duration] = []
        for _ in 0..<5 {
            guard case .open(let until, _) = breaker.state else { Issue.record("expected open, got \(breaker.state)"); return }
            backoffs.append(now.duration(to: until))
            now = until
            #expect(breaker.permission(at: now) == .probe)
            #expect(breaker.state.name == "half-open")
            #expect(breaker.permission(at: now) == .refuse(retryAfter: .seconds(1)), "only one probe at a time")
            _ = breaker.recordFailure(at: now)
        }
        #expect(backoffs == [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5)])
    }

    @Test func successfulProbeClosesAndResetsBackoff() {
        var breaker = CircuitBreakerStateMachine(failureThreshold: 1, baseBackoff: .seconds(1), maximumBackoff: .seconds(60))
        _ = breaker.recordFailure(at: start)
        #expect(breaker.permission(at: start.advanced(by: .seconds(1))) == .probe)
        #expect(breaker.recordSuccess() == .closed(consecutiveFailures: 0))
        #expect(breaker.permission(at: start) == .proceed)
        #expect(breaker.recordFailure(at: start) == .open(until: start.advanced(by: .seconds(1)), trips: 1))
    }
}

extension CircuitBreakerStateMachine.State {
    var trips: Int {
        switch self {
        case .halfOpen(let trips), .open(_, let trips): trips
        case .closed: 0
        }
    }
}
