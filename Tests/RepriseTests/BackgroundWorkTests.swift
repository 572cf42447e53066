import Reprise
import RepriseTesting
import Synchronization
import Testing

/// Background work runs inside its owner's task group: jobs run once the owner runs it, a finished owner
/// waits for the running jobs and refuses new ones, and a job is cancelled alone or with its owner.
@Suite(.timeLimit(.minutes(1))) struct BackgroundWorkTests {
    /// A value jobs write and the test reads.
    final class Cell<Value: Sendable>: Sendable {
        private let state: Mutex<Value>
        init(_ value: Value) { state = Mutex(value) }
        var value: Value { state.withLock { $0 } }
        func set(_ value: Value) { state.withLock { $0 = value } }
        func update(_ change: @Sendable (inout Value) -> Void) { state.withLock { change(&$0) } }
    }

    @Test func jobsSubmittedBeforeTheOwnerRunsRunOnceItDoes() async {
        let work = BackgroundWork()
        let ran = Cell(0)
        for _ in 0..<3 { #expect(work.submit { ran.update { $0 += 1 } } != nil) }
        #expect(ran.value == 0)
        work.finish()
        await work.run()
        #expect(ran.value == 3)
    }

    @Test func finishingWaitsForRunningJobsAndRefusesNewOnes() async {
        let work = BackgroundWork()
        let started = Gate()
        let release = Gate()
        let finished = Cell(false)
        work.submit {
            started.open()
            await release.wait()
            finished.set(true)
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await work.run() }
            await started.wait()
            work.finish()
            #expect(work.submit {} == nil, "a finished owner takes no more work")
            #expect(!finished.value)
            release.open()
            await group.waitForAll()
        }
        #expect(finished.value, "run() returned only after the running job ended")
    }

    @Test func aHandleCancelsItsJobAlone() async throws {
        let work = BackgroundWork()
        let started = Gate()
        let cancelledJob = Cell(false)
        let otherRelease = Gate()
        let otherCancelled = Cell(false)
        let handle = try #require(work.submit {
            started.open()
            while !Task.isCancelled { await Task.yield() }
            cancelledJob.set(true)
        })
        work.submit {
            await otherRelease.wait()
            otherCancelled.set(Task.isCancelled)
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await work.run() }
            await started.wait()
            handle.cancel()
            #expect(handle.isCancelled)
            work.finish()
            otherRelease.open()
            await group.waitForAll()
        }
        #expect(cancelledJob.value)
        #expect(!otherCancelled.value, "cancelling one job leaves the others alone")
    }

    @Test func aJobCancelledBeforeItStartsIsCancelledWhenItStarts() async throws {
        let work = BackgroundWork()
        let sawCancellation = Cell(false)
        // The job ends only once cancelled: without the handle's cancellation reaching it, the owner never returns.
        let handle = try #require(work.submit {
            while !Task.isCancelled { await Task.yield() }
            sawCancellation.set(true)
        })
        handle.cancel()
        work.finish()
        await work.run()
        #expect(sawCancellation.value)
    }

    @Test func cancellingTheOwnerCancelsEveryJob() async {
        let work = BackgroundWork()
        let started = Gate()
        let cancelled = Cell(0)
        for _ in 0..<2 {
            work.submit {
                started.open()
                while !Task.isCancelled { await Task.yield() }
                cancelled.update { $0 += 1 }
            }
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await work.run() }
            await started.wait()
            group.cancelAll()
        }
        #expect(cancelled.value == 2)
    }
}
