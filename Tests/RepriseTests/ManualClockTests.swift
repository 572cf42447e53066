import Reprise
import RepriseTesting
import Testing

@Suite(.timeLimit(.minutes(1))) struct ManualClockTests {
    @Test func startsAtTheGivenInstantAndMovesOnlyWhenAdvanced() {
        #expect(ManualClock().now.iso8601 == "2026-01-01T00:00:00.000Z")
        let clock = ManualClock(start: EpochInstant(millisecondsSinceEpoch: 1_000))
        #expect(clock.now == EpochInstant(millisecondsSinceEpoch: 1_000))
        clock.advance(by: .milliseconds(250))
        #expect(clock.now == EpochInstant(millisecondsSinceEpoch: 1_250))
        clock.advance(to: EpochInstant(millisecondsSinceEpoch: 900))
        #expect(clock.now == EpochInstant(millisecondsSinceEpoch: 1_250), "advancing to the past does nothing")
    }

    @Test func sleeperWakesOnlyOnceTheDeadlineIsReached() async throws {
        let clock = ManualClock()
        let deadline = clock.now.advanced(by: .seconds(10))
        let sleeper = Task { try await clock.sleep(until: deadline, tolerance: nil) }
        try await waitForSleepers(1, on: clock)

        clock.advance(by: .seconds(9))
        #expect(clock.sleeperCount == 1, "a sleeper must not wake before its deadline")
        clock.advance(by: .seconds(1))
        try await sleeper.value
        #expect(clock.sleeperCount == 0)
    }

    @Test func sleepUntilAPastDeadlineReturnsAtOnce() async throws {
        // Nothing advances this clock: a sleep that waited would never return (the suite's time limit fails it).
        let clock = ManualClock()
        let start = clock.now
        try await clock.sleep(until: clock.now, tolerance: nil)
        try await clock.sleep(until: clock.now.advanced(by: .seconds(-5)), tolerance: nil)
        #expect(clock.sleeperCount == 0)
        #expect(clock.now == start, "sleeping must not move the clock")
    }

    @Test func oneAdvanceWakesEverySleeperThatIsDueAndNoOther() async throws {
        let clock = ManualClock()
        let early = Task { try await clock.sleep(for: .seconds(1)) }
        let late = Task { try await clock.sleep(for: .seconds(100)) }
        try await waitForSleepers(2, on: clock)
        clock.advance(by: .seconds(50))
        try await early.value
        #expect(clock.sleeperCount == 1)
        late.cancel()
        await #expect(throws: CancellationError.self) { try await late.value }
    }

    @Test func cancellingASleeperThrowsCancellationError() async throws {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(60)) }
        try await waitForSleepers(1, on: clock)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func sleepingInACancelledTaskThrowsAtOnce() async {
        let clock = ManualClock()
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(for: .seconds(60))
        }
        await #expect(throws: CancellationError.self) { try await sleeper.value }
    }

    /// Waits, without sleeping on the manual clock, until `count` tasks are suspended on it.
    private func waitForSleepers(_ count: Int, on clock: ManualClock) async throws {
        var attempts = 0
        while clock.sleeperCount < count, attempts < 5_000 {
            attempts += 1
            try await Task.sleep(for: .milliseconds(1))
        }
        try #require(clock.sleeperCount == count)
    }
}
