import RepriseTesting
import Synchronization
import Testing

@testable import Reprise

/// Coalescing without the gateway: `SingleFlight`, and `ResponseCache.answer(for:orFetch:)` built on it.
@Suite(.timeLimit(.minutes(2))) struct SingleFlightTests {
    let key = CacheKey(hex: String(repeating: "c", count: 64))!

    /// An operation that counts its runs and waits at a gate the test opens.
    final class HeldOperation: Sendable {
        let gate = Gate()
        let runs = Atomic(0)
        let answer: [UInt8]

        init(answer: [UInt8] = Array("answer".utf8)) {
            self.answer = answer
        }

        func run() async throws -> [UInt8] {
            runs.add(1, ordering: .relaxed)
            await gate.wait()
            return answer
        }
    }

    /// Waits, without sleeping, until `count` callers wait on `flights`.
    static func waitUntil(_ flights: SingleFlight<[UInt8]>, hasWaiting count: Int) async {
        while flights.waitingCount < count { await Task.yield() }
    }

    @Test func callersAskingMeanwhileShareOneRun() async throws {
        let flights = SingleFlight<[UInt8]>()
        let operation = HeldOperation()
        let results = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<8 { group.addTask { try await flights.run(key) { try await operation.run() } } }
            await Self.waitUntil(flights, hasWaiting: 8)
            operation.gate.open()
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8 && results.allSatisfy { $0 == Array("answer".utf8) })
        #expect(operation.runs.load(ordering: .relaxed) == 1)
        #expect(flights.flightCount == 0, "the key is free again")
    }

    @Test func theLeadersErrorReachesEveryFollowerAndTheNextCallRunsAfresh() async throws {
        struct Refused: Error {}
        let flights = SingleFlight<[UInt8]>()
        let gate = Gate()
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    do {
                        _ = try await flights.run(key) { () async throws -> [UInt8] in
                            await gate.wait()
                            throw Refused()
                        }
                        return false
                    } catch {
                        return error is Refused
                    }
                }
            }
            await Self.waitUntil(flights, hasWaiting: 3)
            gate.open()
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes == [true, true, true])
        #expect(try await flights.run(key) { Array("again".utf8) } == Array("again".utf8))
    }

    @Test func aCancelledFollowerStopsWaitingWhileTheRunGoesOn() async throws {
        let flights = SingleFlight<[UInt8]>()
        let operation = HeldOperation()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await flights.run(key) { try await operation.run() } }
            await Self.waitUntil(flights, hasWaiting: 1)
            // The follower runs in a group of its own, so that it alone is cancelled.
            let followerError = await withTaskGroup(of: (any Error)?.self) { followers in
                followers.addTask {
                    do {
                        _ = try await flights.run(key) { try await operation.run() }
                        return nil
                    } catch {
                        return error
                    }
                }
                await Self.waitUntil(flights, hasWaiting: 2)
                followers.cancelAll()
                return await followers.next() ?? nil
            }
            #expect(followerError is CancellationError)
            #expect(flights.waitingCount == 1, "the leader still waits")
            operation.gate.open()
            try await group.waitForAll()
        }
        #expect(operation.runs.load(ordering: .relaxed) == 1)
    }

    @Test func theResponseCacheCallsTheAPIOnceForIdenticalRequestsAndThenServesTheCache() async throws {
        let cache = ResponseCache(store: MemoryCacheStore())
        let request = Array(#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}"#.utf8)
        let answer = Array(#"{"choices":[{"message":{"role":"assistant","content":"Hi"}}],"usage":{"prompt_tokens":3,"completion_tokens":1}}"#.utf8)
        let api = HeldOperation(answer: answer)
        let answers = try await withThrowingTaskGroup(of: [UInt8].self) { group in
            for _ in 0..<5 { group.addTask { try await cache.answer(for: request) { try await api.run() } } }
            while cache.callersWaiting < 5 { await Task.yield() }
            #expect(cache.callsInFlight == 1)
            api.gate.open()
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.allSatisfy { $0 == answer })
        #expect(api.runs.load(ordering: .relaxed) == 1)
        let later = HeldOperation()
        #expect(try await cache.answer(for: request) { try await later.run() } == answer)
        #expect(later.runs.load(ordering: .relaxed) == 0, "served from the cache")
    }

    @Test func aFailingStoreNeverFailsTheCall() async throws {
        let cache = ResponseCache(store: FailingStore())
        let request = Array(#"{"model":"m","prompt":"x"}"#.utf8)
        #expect(try await cache.answer(for: request, route: "/v1/completions") { Array("{}".utf8) } == Array("{}".utf8))
    }

    /// A store whose every operation fails, as a store behind an open circuit does.
    struct FailingStore: CacheStore {
        var countsEntriesExactly: Bool { true }
        func entry(for key: CacheKey, allowingStaleness staleness: Duration) async throws -> CacheEntry? {
            throw CacheStoreError.circuitOpen(retryAfter: .seconds(1))
        }
        func setEntry(_ entry: CacheEntry, for key: CacheKey) async throws { throw CacheStoreError.circuitOpen(retryAfter: .seconds(1)) }
        func removeEntry(for key: CacheKey) async throws -> Bool { throw CacheStoreError.circuitOpen(retryAfter: .seconds(1)) }
        func removeEntries(matching filter: CachePurgeFilter) async throws -> Int { throw CacheStoreError.circuitOpen(retryAfter: .seconds(1)) }
        func statistics() async throws -> CacheStoreStatistics { throw CacheStoreError.circuitOpen(retryAfter: .seconds(1)) }
    }
}
