import Dispatch
import Synchronization

/// Starts the timers ``ResilientCacheStore`` races its store operations against.
///
/// The gateway starts them on the calling thread's event loop (`EventLoopDeadlineTimer` in `RepriseServer`),
/// which costs the least per operation; ``DispatchDeadlineTimer`` needs nothing.
public protocol DeadlineTimer: Sendable {
    /// Calls `expire` once `delay` has passed, unless the returned function is called first.
    /// - Returns: cancels the timer; calling it after `expire` ran does nothing.
    func start(after delay: Duration, _ expire: @escaping @Sendable () -> Void) -> @Sendable () -> Void
}

/// A timer on Dispatch's global queue: works anywhere, and fires on time even while every thread that runs
/// tasks is busy (a sleeping task would wait for one).
public struct DispatchDeadlineTimer: DeadlineTimer {
    public init() {}

    public func start(after delay: Duration, _ expire: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        let cancelled = Atomic(false)
        let (seconds, attoseconds) = delay.components
        let nanoseconds = max(0, Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) {
            if !cancelled.load(ordering: .acquiring) { expire() }
        }
        return { cancelled.store(true, ordering: .releasing) }
    }
}
