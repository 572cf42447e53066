import NIOCore
import NIOPosix
import Reprise
import Testing

@testable import RepriseGateway

/// A store operation against its deadline, with the timer on an event loop (as in a gateway request) and
/// without one. Deadlines meant to be met are a minute long: on a busy machine, with every suite starting at
/// once, even a task returning a constant has waited over five seconds for a thread.
@Suite struct DeadlineRaceTests {
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
        let error = try await #require(throws: CacheStoreError.self) {
            _ = try await DeadlineRace.run("get", deadline: .milliseconds(50), timerLoop: loop) { () async -> Int in
                // Ignores cancellation, as a hung store would (a detached task is not cancelled with this one).
                await Task.detached { try? await Task.sleep(for: .seconds(120)) }.value
                return 0
            }
        }
        #expect(error.kind == "timeout")
        // The operation hangs for two minutes; a bound this generous still tells the deadline from the hang.
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}
