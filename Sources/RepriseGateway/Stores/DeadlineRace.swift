import Reprise
import Synchronization

/// Runs an operation against a deadline without waiting for it past the deadline.
///
/// A task group would wait for a child that ignores cancellation — exactly what a hung store does — so
/// the operation runs in its own task and the caller resumes on whichever comes first: its result or
/// the deadline. At the deadline the operation's task is cancelled and left to finish on its own; when
/// the operation finishes first, the timer is cancelled.
enum DeadlineRace {
    private struct Race<T: Sendable> {
        var waiting: CheckedContinuation<T, any Error>?
        var timer: Task<Void, Never>?
    }

    /// The race's state, shared by the operation's task and the timer's.
    private final class Referee<T: Sendable>: Sendable {
        let race = Mutex(Race<T>())
    }

    static func run<T: Sendable>(
        _ operation: String, deadline: Duration, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let referee = Referee<T>()
        return try await withCheckedThrowingContinuation { continuation in
            referee.race.withLock { $0.waiting = continuation }
            let work = Task {
                let result: Result<T, any Error>
                do { result = .success(try await body()) } catch { result = .failure(error) }
                let (waiting, timer) = referee.race.withLock { ($0.waiting.take(), $0.timer) }
                timer?.cancel()
                waiting?.resume(with: result)
            }
            let timer = Task {
                try? await Task.sleep(for: deadline)
                guard !Task.isCancelled, let waiting = referee.race.withLock({ $0.waiting.take() }) else { return }
                work.cancel()
                waiting.resume(throwing: CacheStoreError.timedOut(operation, after: deadline))
            }
            let finished = referee.race.withLock { race in
                race.timer = timer
                return race.waiting == nil
            }
            if finished { timer.cancel() }
        }
    }
}
