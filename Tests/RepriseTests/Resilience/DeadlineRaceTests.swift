import RepriseTesting
import Synchronization
import Testing

@testable import Reprise

/// A store operation against its deadline, with the timer of a sleeping task and with one the test fires (the
/// gateway's event-loop timer is tested in RepriseGatewayTests). Deadlines meant to be met are a minute long: on a busy machine, with every suite starting at
/// once, even a task returning a constant has waited over five seconds for a thread.
@Suite(.timeLimit(.minutes(2))) struct DeadlineRaceTests {
    static let timers: [any DeadlineTimer] = [DispatchDeadlineTimer(), HeldDeadlineTimer()]

    @Test(arguments: timers)
    func aResultBeforeTheDeadlineIsReturned(timer: any DeadlineTimer) async throws {
        let value = try await DeadlineRace.run("get", deadline: .seconds(60), timer: timer) { 42 }
        #expect(value == 42)
    }

    @Test(arguments: timers)
    func anErrorBeforeTheDeadlineIsThrown(timer: any DeadlineTimer) async throws {
        await #expect(throws: CacheStoreError.self) {
            _ = try await DeadlineRace.run("get", deadline: .seconds(60), timer: timer) { () async throws -> Int in
                throw CacheStoreError.unavailable("redis://127.0.0.1:1", reason: "down")
            }
        }
    }

    @Test func anOperationThatHangsIsAbandonedAtTheDeadline() async throws {
        let timer = DispatchDeadlineTimer()
        let started = ContinuousClock.now
        // Closed until the race has returned: the operation hangs and ignores cancellation, as a hung store
        // would; only abandoning it at the deadline lets the race return (else the suite's time limit fails it).
        let hang = Gate()
        defer { hang.open() }
        let error = try await #require(throws: CacheStoreError.self) {
            _ = try await DeadlineRace.run("get", deadline: .milliseconds(50), timer: timer) { () async -> Int in
                await hang.wait()
                return 0
            }
        }
        #expect(error.kind == "timeout")
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    @Test func anOperationThatHangsIsAbandonedWhenTheTimerFires() async throws {
        let timer = HeldDeadlineTimer()
        let hang = Gate()
        defer { hang.open() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                let error = try await #require(throws: CacheStoreError.self) {
                    _ = try await DeadlineRace.run("set", deadline: .seconds(3600), timer: timer) { () async -> Int in
                        await hang.wait()
                        return 0
                    }
                }
                #expect(error.kind == "timeout")
            }
            await timer.waitUntilStarted()
            timer.fire()
            try await group.waitForAll()
        }
    }

    @Test func theTimerIsCancelledWhenTheOperationWins() async throws {
        let timer = HeldDeadlineTimer()
        _ = try await DeadlineRace.run("get", deadline: .seconds(3600), timer: timer) { 1 }
        #expect(timer.cancellations == 1)
    }
}

/// A deadline timer that fires only when the test says so, and counts the cancellations it receives.
final class HeldDeadlineTimer: DeadlineTimer, Sendable {
    private struct State {
        var pending: [@Sendable () -> Void] = []
        var cancellations = 0
    }

    private let state = Mutex(State())
    private let started = Gate()

    func start(after delay: Duration, _ expire: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        state.withLock { $0.pending.append(expire) }
        started.open()
        return { self.state.withLock { $0.cancellations += 1 } }
    }

    /// Returns once a timer was started.
    func waitUntilStarted() async { await started.wait() }

    /// Fires every timer started so far.
    func fire() {
        for expire in state.withLock({ $0.pending }) { expire() }
    }

    var cancellations: Int { state.withLock { $0.cancellations } }
}
