import NIOCore
import NIOEmbedded
import Testing

@testable import RepriseMemcached

@Suite struct MemcachedResponseDecoderTests {
    static let stream = "HD\r\nVA 5 f1 kreprise:e:ab\r\nhe\r\nl\r\nEN\r\nNF\r\nSTAT curr_items 42\r\nEND\r\nSERVER_ERROR object too large for cache\r\nMN\r\n"
    static let expected: [MemcachedResponse] = [
        .done, .value(ByteBuffer(string: "he\r\nl"), flags: 1, key: "reprise:e:ab"), .miss, .notFound,
        .stat(name: "curr_items", value: "42"), .end, .serverError("object too large for cache"), .noop,
    ]

    @Test func decodesAnswersHoweverTheStreamIsSplit() throws {
        let bytes = Array(Self.stream.utf8)
        for split in 0...bytes.count {
            var buffer = ByteBuffer()
            var decoded: [MemcachedResponse] = []
            for part in [bytes[..<split], bytes[split...]] {
                buffer.writeBytes(part)
                while let response = try MemcachedResponseDecoder.parse(&buffer) { decoded.append(response) }
            }
            #expect(decoded == Self.expected, "split at byte \(split)")
            #expect(buffer.readableBytes == 0)
        }
    }

    @Test(arguments: [
        "HELLO\r\n", "VA\r\nxx\r\n", "VA -1\r\n", "VA 2\r\nabcd\r\n", "HD\n", "VA 2 fx\r\nab\r\n",
        String(repeating: "a", count: 9000),
    ])
    func garbageIsAProtocolError(_ garbage: String) {
        var buffer = ByteBuffer(string: garbage)
        #expect(throws: MemcachedProtocolError.self) {
            while try MemcachedResponseDecoder.parse(&buffer) != nil {}
        }
    }

    @Test func garbageFailsTheWaitingRequestAndClosesTheConnection() async throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            MessageToByteHandler(MemcachedCommandEncoder()), ByteToMessageHandler(MemcachedResponseDecoder()),
            MemcachedPipelineHandler(),
        ])
        let promise = channel.eventLoop.makePromise(of: [MemcachedResponse].self)
        try channel.writeOutbound(MemcachedRequest(commands: [.get(key: "k", quiet: false)], end: .afterAnswers(1), promise: promise))
        #expect(try channel.readOutbound(as: ByteBuffer.self).map { String(buffer: $0) } == "mg k v f\r\n")
        // The pipeline handler takes the decoder's error: it fails what waits and closes the connection.
        _ = try? channel.writeInbound(ByteBuffer(string: "NONSENSE\r\n"))
        #expect(throws: MemcachedProtocolError.self) { try promise.futureResult.wait() }
        #expect(!channel.isActive)
    }

    @Test func pipelinedRequestsGetTheirOwnAnswersInOrder() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            MessageToByteHandler(MemcachedCommandEncoder()), ByteToMessageHandler(MemcachedResponseDecoder()),
            MemcachedPipelineHandler(),
        ])
        let single = channel.eventLoop.makePromise(of: [MemcachedResponse].self)
        let batch = channel.eventLoop.makePromise(of: [MemcachedResponse].self)
        try channel.writeOutbound(MemcachedRequest(commands: [.delete(key: "a")], end: .afterAnswers(1), promise: single))
        try channel.writeOutbound(
            MemcachedRequest(commands: [.get(key: "b", quiet: true), .get(key: "c", quiet: true), .noop], end: .atNoop, promise: batch))
        try channel.writeInbound(ByteBuffer(string: "NF\r\nVA 1 kc\r\nz\r\nMN\r\n"))
        #expect(try single.futureResult.wait() == [.notFound])
        #expect(try batch.futureResult.wait() == [.value(ByteBuffer(string: "z"), flags: nil, key: "c")])
    }
}
