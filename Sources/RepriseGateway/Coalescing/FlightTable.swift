import Reprise
import Synchronization

/// The gateway's flights in progress, one per cache key (see ``SingleFlightStateMachine``).
final class FlightTable: Sendable {
    private let machine = Mutex(SingleFlightStateMachine<Flight>())

    func join(_ key: CacheKey) -> SingleFlightStateMachine<Flight>.JoinAction {
        let candidate = Flight(key: key)
        return machine.withLock { $0.join(key, candidate: candidate) }
    }

    /// A participant stopped waiting; cancels the upstream call when it was the last.
    func leave(_ key: CacheKey, flight: Flight) {
        let action = machine.withLock { $0.leave(key, flight: flight) }
        if action == .cancelUpstream { flight.cancelUpstream() }
    }

    func finish(_ key: CacheKey, flight: Flight) {
        machine.withLock { $0.finish(key, flight: flight) }
    }

    var flightCount: Int { machine.withLock { $0.flightCount } }

    /// The upstream calls under way and the requests waiting on them, leaders included, read together.
    var load: (flights: Int, participants: Int) { machine.withLock { ($0.flightCount, $0.participantCount) } }
}
