/// The lifecycle of coalesced upstream calls: at most one call ("flight") per cache key at a time.
///
/// The first request for a key leads: it starts the upstream call. Requests for the same key that arrive
/// while the call is in flight follow it and share its answer. When the call finishes the key is free
/// again (its answer is in the cache by then, if it could be stored). When every participant has left
/// before the call finished — all clients disconnected — the call is to be cancelled.
///
/// A pure value: no I/O, no locks; ``SingleFlight`` drives it under a lock, as the gateway's flight table does.
public struct SingleFlightStateMachine<Flight: AnyObject & Sendable>: Sendable {
    public init() {}

    private struct Slot {
        var flight: Flight
        var participants: Int
    }

    /// What a request arriving for a key does.
    public enum JoinAction: Sendable {
        /// Start the upstream call for this new flight.
        case lead(Flight)
        /// Wait for the flight already under way.
        case follow(Flight)
    }

    /// What a participant leaving means for the flight.
    public enum LeaveAction: Equatable {
        /// Others still wait, or the flight already finished: nothing to do.
        case none
        /// Nobody waits for the answer any more: cancel the upstream call.
        case cancelUpstream
    }

    private var slots: [CacheKey: Slot] = [:]

    /// How many keys have a flight under way.
    public var flightCount: Int { slots.count }

    /// How many requests wait on flights, leaders included.
    public var participantCount: Int { slots.values.reduce(0) { $0 + $1.participants } }

    /// How many participants wait on the flight for `key`.
    public func participants(for key: CacheKey) -> Int { slots[key]?.participants ?? 0 }

    /// A request for `key` arrives; `candidate` becomes the flight when the request leads.
    public mutating func join(_ key: CacheKey, candidate: Flight) -> JoinAction {
        if var slot = slots[key] {
            slot.participants += 1
            slots[key] = slot
            return .follow(slot.flight)
        }
        slots[key] = Slot(flight: candidate, participants: 1)
        return .lead(candidate)
    }

    /// A participant of `flight` stopped waiting (its client went away, or it has its answer).
    public mutating func leave(_ key: CacheKey, flight: Flight) -> LeaveAction {
        guard var slot = slots[key], slot.flight === flight else { return .none }
        slot.participants -= 1
        if slot.participants > 0 {
            slots[key] = slot
            return .none
        }
        slots[key] = nil
        return .cancelUpstream
    }

    /// The upstream call of `flight` finished: later requests start afresh (and find the cache).
    public mutating func finish(_ key: CacheKey, flight: Flight) {
        if let slot = slots[key], slot.flight === flight { slots[key] = nil }
    }
}
