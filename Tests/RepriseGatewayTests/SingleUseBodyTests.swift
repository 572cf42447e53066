import NIOCore
import Testing

@testable import RepriseGateway

@Suite struct SingleUseBodyTests {
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
