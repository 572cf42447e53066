import Reprise
import Synchronization

/// A wall clock that moves only when a test tells it to, so time-to-live logic is tested without sleeping.
///
/// ``sleep(until:tolerance:)`` really suspends: a sleeper resumes when ``advance(by:)`` or
/// ``advance(to:)`` brings ``now`` to or past its deadline, or throws `CancellationError` when its task
/// is cancelled first.
public final class ManualClock: EpochClock {
    /// 2026-01-01T00:00:00Z, where a clock starts unless told otherwise.
    public static let defaultStart = EpochInstant(sinceEpoch: .seconds(1_767_225_600))

    private enum Sleeper {
        /// Registered by `sleep`, not yet suspended.
        case arriving
        /// Cancelled before it could suspend.
        case cancelled
        /// Suspended until `deadline`.
        case waiting(deadline: EpochInstant, continuation: CheckedContinuation<Void, any Error>)
    }

    private struct State {
        var now: EpochInstant
        var sleepers: [UInt64: Sleeper] = [:]
        var nextSleeperID: UInt64 = 0
    }

    private let state: Mutex<State>

    /// Creates a clock that reads `start` until it is advanced.
    public init(start: EpochInstant = ManualClock.defaultStart) {
        self.state = Mutex(State(now: start))
    }

    public var now: EpochInstant {
        state.withLock { $0.now }
    }

    public var minimumResolution: Duration { .nanoseconds(1) }

    /// How many tasks are suspended in ``sleep(until:tolerance:)``, so a test can wait for a sleeper to
    /// arrive before it advances the clock.
    public var sleeperCount: Int {
        state.withLock { state in
            state.sleepers.values.count { if case .waiting = $0 { true } else { false } }
        }
    }

    /// Moves the clock forward by `duration` and wakes every sleeper whose deadline has been reached.
    /// - Precondition: `duration` is not negative; wall time in a test never runs backwards.
    public func advance(by duration: Duration) {
        precondition(duration >= .zero, "ManualClock cannot move backwards (advance by \(duration))")
        let woken = state.withLock { state in
            state.now = state.now.advanced(by: duration)
            return Self.removeDueSleepers(from: &state)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Moves the clock forward to `instant`; does nothing when `instant` is not in the future.
    public func advance(to instant: EpochInstant) {
        let remaining = now.duration(to: instant)
        if remaining > .zero { advance(by: remaining) }
    }

    public func sleep(until deadline: EpochInstant, tolerance: Duration? = nil) async throws {
        let id = state.withLock { state in
            let id = state.nextSleeperID
            state.nextSleeperID += 1
            state.sleepers[id] = .arriving
            return id
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if case .cancelled = state.sleepers[id] {
                        state.sleepers[id] = nil
                        return .failure(CancellationError())
                    }
                    if deadline <= state.now {
                        state.sleepers[id] = nil
                        return .success(())
                    }
                    state.sleepers[id] = .waiting(deadline: deadline, continuation: continuation)
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                switch state.sleepers[id] {
                case .arriving:
                    state.sleepers[id] = .cancelled
                    return nil
                case .waiting(_, let continuation):
                    state.sleepers[id] = nil
                    return continuation
                case .cancelled, nil:
                    return nil
                }
            }
            continuation?.resume(throwing: CancellationError())
        }
    }

    private static func removeDueSleepers(from state: inout State) -> [CheckedContinuation<Void, any Error>] {
        var due: [CheckedContinuation<Void, any Error>] = []
        for (id, sleeper) in state.sleepers {
            guard case .waiting(let deadline, let continuation) = sleeper, deadline <= state.now else { continue }
            state.sleepers[id] = nil
            due.append(continuation)
        }
        return due
    }
}
