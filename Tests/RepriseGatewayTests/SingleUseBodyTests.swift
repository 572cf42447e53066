import Synchronization
import NIOCore
import Testing

@testable import RepriseGateway

@Suite(.timeLimit(.minutes(1))) struct SingleUseBodyTests {
    @Test func aSecondReaderGetsAnErrorNotACrash() async throws {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        continuation.yield(ByteBuffer(string: "hello"))
        continuation.finish()
        let body = SingleUseBody(stream)
        var first = body.makeAsyncIterator()
        #expect(try await first.next() == ByteBuffer(string: "hello"))
        #expect(try await first.next() == nil)
        var second = body.makeAsyncIterator()
        await #expect(throws: SingleUseBody<AsyncStream<ByteBuffer>>.AlreadyRead.self) { _ = try await second.next() }
    }
}

@Suite(.timeLimit(.minutes(1))) struct SingleUseBodyReadingTests {
    typealias Body = SingleUseBody<AsyncStream<ByteBuffer>>

    @Test func aBodyNobodyStartedReadingIsClosedToReaders() async throws {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        continuation.finish()
        let body = SingleUseBody(stream)
        await body.finishReading()
        var late = body.makeAsyncIterator()
        await #expect(throws: Body.AlreadyRead.self) { _ = try await late.next() }
    }

    @Test func finishingWaitsForTheReaderToReachTheEnd() async throws {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        let body = SingleUseBody(stream)
        var iterator = body.makeAsyncIterator()
        continuation.yield(ByteBuffer(string: "part"))
        #expect(try await iterator.next() == ByteBuffer(string: "part"))
        let done = Flag()
        let finished = Task {
            await body.finishReading()
            done.set()
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(!done.isSet, "finishReading returned while the body was still being read")
        continuation.finish()
        #expect(try await iterator.next() == nil)
        await finished.value
        #expect(done.isSet)
    }

    final class Flag: Sendable {
        private let value = Atomic(false)
        func set() { value.store(true, ordering: .relaxed) }
        var isSet: Bool { value.load(ordering: .relaxed) }
    }

    @Test func aReaderThatLetsGoEndsTheReading() async throws {
        let (stream, continuation) = AsyncStream<ByteBuffer>.makeStream()
        let body = SingleUseBody(stream)
        do {
            var iterator = body.makeAsyncIterator()
            continuation.yield(ByteBuffer(string: "part"))
            #expect(try await iterator.next() == ByteBuffer(string: "part"))
        }
        // Would wait forever (the suite's time limit fails it) if the dropped reader still held the body.
        await body.finishReading()
        var late = body.makeAsyncIterator()
        await #expect(throws: Body.AlreadyRead.self) { _ = try await late.next() }
        continuation.finish()
    }
}
