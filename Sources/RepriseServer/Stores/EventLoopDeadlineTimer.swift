import NIOCore
import NIOPosix
import Reprise
import RepriseGateway

/// Starts a store operation's deadline timer on the calling thread's event loop — there is one for every
/// gateway request — and falls back to a sleeping task elsewhere. A `Task.sleep` per operation went through
/// Dispatch's timer threads and cost about a tenth of a Redis hit's CPU time.
struct EventLoopDeadlineTimer: DeadlineTimer {
    func start(after delay: Duration, _ expire: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop else {
            return DispatchDeadlineTimer().start(after: delay, expire)
        }
        let scheduled = loop.scheduleTask(in: .nanoseconds(Int64(delay.secondsValue * 1e9))) { expire() }
        return { scheduled.cancel() }
    }
}
