import Synchronization

/// Work started now and finished later — an upstream call that outlives the request that began it, an
/// embedding computed after an answer was stored — run as children of one task group that its owner runs and
/// awaits, so that nothing outlives the owner and shutdown can wait for it.
///
/// The owner runs ``run()`` for as long as work may come (the gateway runs it as one of its services); a
/// job submitted before it starts waits for it. ``finish()`` stops taking work: ``run()`` then returns once
/// every job submitted has ended. Cancelling the task running ``run()`` cancels every job.
///
/// A job is cancelled on its own through the ``Handle`` ``submit(_:)`` returns.
///
/// - Complexity: O(1) to submit; each job is one child task.
public final class BackgroundWork: Sendable {
    /// A submitted job, which can be cancelled without touching the others.
    public final class Handle: Sendable {
        private let state = Mutex(State())

        private struct State {
            var cancelled = false
            /// The job's wait for ``cancel()``, while it runs.
            var waiter: CheckedContinuation<Void, Never>?
        }

        init() {}

        /// Cancels the job: its task is cancelled once it has started, or as it starts.
        public func cancel() {
            state.withLock { state in
                state.cancelled = true
                return state.waiter.take()
            }?.resume()
        }

        /// Whether ``cancel()`` was called.
        public var isCancelled: Bool { state.withLock { $0.cancelled } }

        /// Runs `operation` beside a wait for ``cancel()``: whichever ends first cancels the other.
        func run(_ operation: @escaping @Sendable () async -> Void) async {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await operation() }
                group.addTask { await self.cancelled() }
                _ = await group.next()
                group.cancelAll()
            }
        }

        /// Returns when the handle is cancelled, or the waiting task is.
        private func cancelled() async {
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let resumeNow = state.withLock { state -> Bool in
                        guard !state.cancelled, !Task.isCancelled else { return true }
                        state.waiter = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                state.withLock { $0.waiter.take() }?.resume()
            }
        }
    }

    private struct Job: Sendable {
        var handle: Handle
        var operation: @Sendable () async -> Void
    }

    private let jobs: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation
    private let unfinished = Atomic(0)

    /// Jobs submitted that have not ended yet, started or not. Zero means nothing runs in the background
    /// now, and nothing will until more is submitted.
    public var unfinishedJobs: Int { unfinished.load(ordering: .acquiring) }

    public init() {
        (jobs, continuation) = AsyncStream.makeStream(of: Job.self, bufferingPolicy: .unbounded)
    }

    /// Runs `operation` in the background.
    /// - Returns: its handle, or `nil` when the work has finished taking jobs (the gateway is stopping).
    @discardableResult
    public func submit(_ operation: @escaping @Sendable () async -> Void) -> Handle? {
        let handle = Handle()
        unfinished.add(1, ordering: .acquiringAndReleasing)
        let counted: @Sendable () async -> Void = { [self] in
            await operation()
            unfinished.subtract(1, ordering: .acquiringAndReleasing)
        }
        guard case .enqueued = continuation.yield(Job(handle: handle, operation: counted)) else {
            unfinished.subtract(1, ordering: .acquiringAndReleasing)
            return nil
        }
        return handle
    }

    /// Runs every job submitted, each as a child task, until ``finish()`` was called and every job has ended.
    public func run() async {
        await withDiscardingTaskGroup { group in
            for await job in jobs {
                group.addTask { await job.handle.run(job.operation) }
            }
        }
    }

    /// Takes no more jobs; ``run()`` returns once the running ones end.
    public func finish() {
        continuation.finish()
    }
}
