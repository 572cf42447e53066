import NIOCore
import NIOEmbedded
import NIOHTTP1
import Synchronization
import Testing

@testable import RepriseGateway

/// Counts the reads the channel asks of its socket, which the connection handler lets through or holds.
private final class ReadCounter: ChannelOutboundHandler, Sendable {
    typealias OutboundIn = Any
    let reads = Mutex(0)

    func read(context: ChannelHandlerContext) {
        reads.withLock { $0 += 1 }
        context.read()
    }
}

/// A streamed answer whose reader falls behind stops the connection reading from its socket, and reading
/// resumes once the reader catches up.
@Suite struct UpstreamBackpressureTests {
    @Test func aReaderFallingBehindHoldsTheSocketsReadsUntilItCatchesUp() async throws {
        let channel = EmbeddedChannel()
        let counter = ReadCounter()
        let handler = UpstreamConnectionHandler()
        try channel.pipeline.syncOperations.addHandlers([counter, handler])
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 80)).get()
        let promise = channel.eventLoop.makePromise(of: UpstreamStreamingResponse.self)
        handler.start(
            UpstreamRequest(method: .POST, path: "/v1/chat/completions", headers: [:], body: ByteBuffer(string: "{}")),
            hostHeader: "upstream", consumer: .streaming(promise), deadline: .now() + .seconds(60), reused: false)
        try channel.writeInbound(HTTPClientResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        let response = try await promise.futureResult.get()

        // Far more chunks than the reader's buffer holds, none read yet.
        for number in 0..<40 {
            try channel.writeInbound(HTTPClientResponsePart.body(ByteBuffer(string: "chunk \(number)\n")))
        }
        let before = counter.reads.withLock { $0 }
        channel.read()
        #expect(counter.reads.withLock { $0 } == before, "the connection kept reading for a reader 40 chunks behind")

        // The reader catches up: the held read goes through.
        var body = response.body.makeAsyncIterator()
        for number in 0..<40 {
            #expect(try await body.next().map { String(buffer: $0) } == "chunk \(number)\n")
        }
        channel.embeddedEventLoop.run()
        #expect(counter.reads.withLock { $0 } == before + 1, "the held read was not released once the reader caught up")

        try channel.writeInbound(HTTPClientResponsePart.end(nil))
        #expect(try await body.next() == nil)
        _ = try? channel.finish()
    }
}
