import Synchronization

/// Coalesces concurrent work by key: the first caller for a key runs the operation; callers that ask for the
/// same key while it runs wait for its result instead of running their own ("single-flight").
///
/// The leader runs the operation in its own task, so nothing outlives it: when the leader is cancelled the
/// operation is, and the followers get its error. A follower that is cancelled stops waiting at once; the
/// operation goes on for the others. Once the operation ends, the next caller for the key starts afresh.
///
/// ```swift
/// let flights = SingleFlight<[UInt8]>()
/// let answer = try await flights.run(key) { try await callTheAPI(request) }
/// ```
public final class SingleFlight<Value: Sendable>: Sendable {
    private let machine = Mutex(SingleFlightStateMachine<Flight>())

    public init() {}

    /// Keys whose operation is running now.
    public var flightCount: Int { machine.withLock { $0.flightCount } }

    /// Callers waiting now, leaders included.
    public var waitingCount: Int { machine.withLock { $0.participantCount } }

    /// `operation`'s result for `key`: run now, or shared with the caller already running it.
    public func run(_ key: CacheKey, _ operation: @Sendable () async throws -> Value) async throws -> Value {
        let candidate = Flight()
        switch machine.withLock({ $0.join(key, candidate: candidate) }) {
        case .lead(let flight):
            let result: Result<Value, any Error>
            do { result = .success(try await operation()) } catch { result = .failure(error) }
            machine.withLock { $0.finish(key, flight: flight) }
            flight.land(result)
            return try result.get()
        case .follow(let flight):
            defer { _ = machine.withLock { $0.leave(key, flight: flight) } }
            return try await flight.wait()
        }
    }

    /// One operation's result and the callers waiting for it.
    private final class Flight: Sendable {
        private enum State {
            case flying(waiters: [Int: CheckedContinuation<Value, any Error>], next: Int)
            case landed(Result<Value, any Error>)
        }

        private let state = Mutex(State.flying(waiters: [:], next: 0))

        /// The result, once the leader has it; a cancelled caller stops waiting with `CancellationError`.
        func wait() async throws -> Value {
            let ticket = Mutex<Int?>(nil)
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    let outcome = state.withLock { state -> Result<Value, any Error>? in
                        switch state {
                        case .landed(let result):
                            return result
                        case .flying(var waiters, let next):
                            if Task.isCancelled { return .failure(CancellationError()) }
                            waiters[next] = continuation
                            state = .flying(waiters: waiters, next: next + 1)
                            ticket.withLock { $0 = next }
                            return nil
                        }
                    }
                    if let outcome { continuation.resume(with: outcome) }
                }
            } onCancel: {
                let waiter = state.withLock { state -> CheckedContinuation<Value, any Error>? in
                    guard case .flying(var waiters, let next) = state, let number = ticket.withLock({ $0 }) else { return nil }
                    let waiter = waiters.removeValue(forKey: number)
                    state = .flying(waiters: waiters, next: next)
                    return waiter
                }
                waiter?.resume(throwing: CancellationError())
            }
        }

        /// Hands `result` to every caller waiting, and to any that comes later.
        func land(_ result: Result<Value, any Error>) {
            let waiters = state.withLock { state -> [CheckedContinuation<Value, any Error>] in
                guard case .flying(let waiters, _) = state else { return [] }
                state = .landed(result)
                return Array(waiters.values)
            }
            for waiter in waiters { waiter.resume(with: result) }
        }
    }
}
