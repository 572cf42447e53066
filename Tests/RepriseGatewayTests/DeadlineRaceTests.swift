import NIOCore
import NIOPosix
import Reprise
import RepriseTesting
import Testing

@testable import RepriseGateway

/// A store operation against its deadline, with the timer on an event loop (as in a gateway request) and
/// without one. Deadlines meant to be met are a minute long: on a busy machine, with every suite starting at
/// once, even a task returning a constant has waited over five seconds for a thread.
@Suite(.timeLimit(.minutes(2))) struct DeadlineRaceTests {
    static let loops: [(any EventLoop)?] = [MultiThreadedEventLoopGroup.singleton.next(), nil]

    @Test(arguments: loops)
    func aResultBeforeTheDeadlineIsReturned(loop: (any EventLoop)?) async throws {
        let value = try await DeadlineRace.run("get", deadline: .seconds(60), timerLoop: loop) { 42 }
        #expect(value == 42)
    }

    @Test(arguments: loops)
    func anErrorBeforeTheDeadlineIsThrown(loop: (any EventLoop)?) async throws {
        await #expect(throws: CacheStoreError.self) {
            _ = try await DeadlineRace.run("get", deadline: .seconds(60), timerLoop: loop) { () async throws -> Int in
                throw CacheStoreError.unavailable("redis://127.0.0.1:1", reason: "down")
            }
        }
    }

    @Test(arguments: loops)
    func anOperationThatHangsIsAbandonedAtTheDeadline(loop: (any EventLoop)?) async throws {
        let started = ContinuousClock.now
        // Closed until the race has returned: the operation hangs and ignores cancellation, as a hung store
        // would; only abandoning it at the deadline lets the race return (else the suite's time limit fails it).
        let hang = Gate()
        defer { hang.open() }
        let error = try await #require(throws: CacheStoreError.self) {
            _ = try await DeadlineRace.run("get", deadline: .milliseconds(50), timerLoop: loop) { () async -> Int in
                await hang.wait()
                return 0
            }
        }
        #expect(error.kind == "timeout")
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}
