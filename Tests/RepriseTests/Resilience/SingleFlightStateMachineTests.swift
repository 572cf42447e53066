import Testing

@testable import Reprise

/// The coalescing lifecycle, without I/O.
@Suite struct SingleFlightStateMachineTests {
    final class Token: Sendable {}

    let key = CacheKey(hex: String(repeating: "a", count: 64))!
    let otherKey = CacheKey(hex: String(repeating: "b", count: 64))!

    @Test func theFirstRequestLeadsAndLaterOnesFollowTheSameFlight() {
        var machine = SingleFlightStateMachine<Token>()
        let first = Token()
        guard case .lead(let leader) = machine.join(key, candidate: first) else {
            Issue.record("the first request must lead")
            return
        }
        #expect(leader === first)
        for _ in 0..<49 {
            guard case .follow(let followed) = machine.join(key, candidate: Token()) else {
                Issue.record("a request for a key in flight must follow")
                return
            }
            #expect(followed === first)
        }
        #expect(machine.participants(for: key) == 50)
        #expect(machine.participantCount == 50)
        #expect(machine.flightCount == 1)
    }

    @Test func differentKeysFlyApart() {
        var machine = SingleFlightStateMachine<Token>()
        guard case .lead = machine.join(key, candidate: Token()), case .lead = machine.join(otherKey, candidate: Token()) else {
            Issue.record("each key must have its own flight")
            return
        }
        #expect(machine.flightCount == 2)
        #expect(machine.participantCount == 2)
    }

    @Test func finishingFreesTheKeySoTheNextRequestLeadsAgain() {
        var machine = SingleFlightStateMachine<Token>()
        let first = Token()
        _ = machine.join(key, candidate: first)
        _ = machine.join(key, candidate: Token())
        machine.finish(key, flight: first)
        #expect(machine.flightCount == 0)
        let second = Token()
        guard case .lead(let leader) = machine.join(key, candidate: second) else {
            Issue.record("after a flight finishes, a new request leads")
            return
        }
        #expect(leader === second)
        // Participants of the finished flight leaving later change nothing for the new one.
        #expect(machine.leave(key, flight: first) == .none)
        #expect(machine.participants(for: key) == 1)
    }

    @Test func theUpstreamCallIsCancelledOnlyWhenTheLastParticipantLeaves() {
        var machine = SingleFlightStateMachine<Token>()
        let flight = Token()
        _ = machine.join(key, candidate: flight)
        _ = machine.join(key, candidate: Token())
        _ = machine.join(key, candidate: Token())
        #expect(machine.leave(key, flight: flight) == .none)
        #expect(machine.leave(key, flight: flight) == .none)
        #expect(machine.leave(key, flight: flight) == .cancelUpstream)
        #expect(machine.flightCount == 0)
    }

    @Test func aLeaderThatLeavesDoesNotCancelForItsFollowers() {
        var machine = SingleFlightStateMachine<Token>()
        let flight = Token()
        _ = machine.join(key, candidate: flight)
        _ = machine.join(key, candidate: Token())
        // The leader's client disconnects: the follower still waits, so the call goes on.
        #expect(machine.leave(key, flight: flight) == .none)
        #expect(machine.participants(for: key) == 1)
    }

    @Test func leavingAfterFinishingNeverCancels() {
        var machine = SingleFlightStateMachine<Token>()
        let flight = Token()
        _ = machine.join(key, candidate: flight)
        machine.finish(key, flight: flight)
        #expect(machine.leave(key, flight: flight) == .none)
    }
}
