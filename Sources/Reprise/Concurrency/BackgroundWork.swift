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
            /// The job's task while it runs, so that ``cancel()`` can cancel it; `nil` before and after.
            var running: RunningTask?
        }

        /// The task running the job. Only used under the lock, and only while the task runs: the job clears it
        /// before it returns, so ``cancel()`` never touches a task that has ended.
        private struct RunningTask: @unchecked Sendable {
            let task: UnsafeCurrentTask
        }

        init() {}

        /// Cancels the job: its task is cancelled once it has started, or as it starts.
        public func cancel() {
            state.withLock { state in
                state.cancelled = true
                state.running?.task.cancel()
            }
        }

        /// Whether ``cancel()`` was called.
        public var isCancelled: Bool { state.withLock { $0.cancelled } }

        /// Runs `operation` in the calling task, which ``cancel()`` cancels — no task of its own, no waiter
        /// beside it: a job costs one child task of the work's group.
        func run(_ operation: @escaping @Sendable () async -> Void) async {
            withUnsafeCurrentTask { task in
                guard let task else { return }
                let cancelled = state.withLock { state in
                    state.running = RunningTask(task: task)
                    return state.cancelled
                }
                if cancelled { task.cancel() }
            }
            await operation()
            state.withLock { $0.running = nil }
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
