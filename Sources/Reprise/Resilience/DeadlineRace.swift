import Synchronization

/// Runs an operation against a deadline without waiting for it past the deadline.
///
/// A task group would wait for a child that ignores cancellation — exactly what a hung store does — so
/// the operation runs in its own task and the caller resumes on whichever comes first: its result or
/// the deadline. At the deadline the operation's task is cancelled and left to finish on its own; when
/// the operation finishes first, the timer is cancelled.
///
/// The timer comes from a ``DeadlineTimer``: the gateway's runs on the caller's event loop, since a
/// `Task.sleep` per store operation went through Dispatch's timer threads and cost about a tenth of a Redis
/// hit's CPU time.
package enum DeadlineRace {
    private struct Race<T: Sendable> {
        var waiting: CheckedContinuation<T, any Error>?
        var cancelTimer: (@Sendable () -> Void)?
    }

    /// The race's state, shared by the operation's task and the timer.
    private final class Referee<T: Sendable>: Sendable {
        let race = Mutex(Race<T>())
    }

    /// - Parameter timer: starts the deadline's timer.
    package static func run<T: Sendable>(
        _ operation: String, deadline: Duration, timer: any DeadlineTimer = DispatchDeadlineTimer(),
        _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let referee = Referee<T>()
        return try await withCheckedThrowingContinuation { continuation in
            referee.race.withLock { $0.waiting = continuation }
            // Unstructured by design: a store call that hangs past its deadline is abandoned, not awaited — a
            // task group would wait for it and hang the request with it. It is cancelled at the deadline.
            let work = Task {
                let result: Result<T, any Error>
                do { result = .success(try await body()) } catch { result = .failure(error) }
                let (waiting, cancelTimer) = referee.race.withLock { ($0.waiting.take(), $0.cancelTimer) }
                cancelTimer?()
                waiting?.resume(with: result)
            }
            let expire: @Sendable () -> Void = {
                guard let waiting = referee.race.withLock({ $0.waiting.take() }) else { return }
                work.cancel()
                waiting.resume(throwing: CacheStoreError.timedOut(operation, after: deadline))
            }
            let cancelTimer = timer.start(after: deadline, expire)
            let finished = referee.race.withLock { race in
                race.cancelTimer = cancelTimer
                return race.waiting == nil
            }
            if finished { cancelTimer() }
        }
    }
}
