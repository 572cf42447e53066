import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import RepriseRedis

@Suite struct RESPParserTests {
    private func parseAll(_ text: String) throws -> [RESPValue] {
        var buffer = ByteBuffer(string: text)
        var values: [RESPValue] = []
        while let value = try RESPParser.parse(&buffer) { values.append(value) }
        #expect(buffer.readableBytes == 0, "bytes left over after parsing '\(text)'")
        return values
    }

    @Test func simpleTypes() throws {
        let values = try parseAll("+OK\r\n-ERR wrong\r\n:-42\r\n$5\r\nhello\r\n$0\r\n\r\n$-1\r\n*-1\r\n")
        #expect(values == [
            .simpleString("OK"), .error("ERR wrong"), .integer(-42), .bulkString(ByteBuffer(string: "hello")),
            .bulkString(ByteBuffer()), .null, .null,
        ])
    }

    @Test func bulkStringsCarryAnyBytes() throws {
        var buffer = ByteBuffer(string: "$6\r\n")
        buffer.writeBytes([0x00, 0x0D, 0x0A, 0xFF, 0x24, 0x2A])
        buffer.writeString("\r\n")
        #expect(try RESPParser.parse(&buffer)?.bytes == [0x00, 0x0D, 0x0A, 0xFF, 0x24, 0x2A])
    }

    @Test func nestedArrays() throws {
        let values = try parseAll("*3\r\n:1\r\n*2\r\n+a\r\n*1\r\n$1\r\nb\r\n*0\r\n")
        #expect(values == [.array([.integer(1), .array([.simpleString("a"), .array([.bulkString(ByteBuffer(string: "b"))])]), .array([])])])
    }

    @Test func resp3Types() throws {
        let values = try parseAll("%2\r\n+a\r\n:1\r\n+b\r\n#t\r\n~1\r\n,3.5\r\n_\r\n(12345678901234567890\r\n=8\r\ntxt:some\r\n>2\r\n+pubsub\r\n+x\r\n")
        #expect(values.count == 6)
        #expect(values[0].pairs?.map(\.0) == ["a", "b"])
        #expect(values[1] == .set([.double(3.5)]))
        #expect(values[2] == .null)
        #expect(values[3] == .bigNumber("12345678901234567890"))
        #expect(values[4].string == "some")
        #expect(values[5] == .push([.simpleString("pubsub"), .simpleString("x")]))
    }

    /// Every way of cutting a reply in two must give nothing for the first part and the whole reply once
    /// the rest arrives.
    @Test func repliesSplitAcrossReads() throws {
        let text = "*3\r\n$5\r\nhello\r\n*2\r\n:7\r\n-ERR nope\r\n+done\r\n"
        let whole = try parseAll(text)
        let bytes = Array(text.utf8)
        for cut in 1..<bytes.count {
            var buffer = ByteBuffer(bytes: bytes[..<cut])
            #expect(try RESPParser.parse(&buffer) == nil, "a reply cut after \(cut) bytes parsed early")
            #expect(buffer.readerIndex == 0, "an incomplete parse consumed bytes")
            buffer.writeBytes(bytes[cut...])
            #expect(try RESPParser.parse(&buffer) == whole[0], "a reply cut after \(cut) bytes")
        }
    }

    @Test(arguments: [
        "?what\r\n", ":12x\r\n", "$3\r\nabcde\r\n", "$-7\r\n", "*-2\r\n", "#x\r\n", ",1.2.3\r\n", "+OK\rX",
        "$99999999999999\r\n", "=2\r\nab\r\n",
    ])
    func garbageIsAProtocolError(_ text: String) {
        var buffer = ByteBuffer(string: text)
        #expect {
            try RESPParser.parse(&buffer)
        } throws: { ($0 as? RedisError)?.code == .protocolError }
    }

    @Test func deepNestingIsRefused() {
        var buffer = ByteBuffer(string: String(repeating: "*1\r\n", count: RESPParser.maximumDepth + 2) + ":1\r\n")
        #expect { try RESPParser.parse(&buffer) } throws: { ($0 as? RedisError)?.code == .protocolError }
    }

    @Test func endlessLineIsRefused() {
        var buffer = ByteBuffer(string: "+" + String(repeating: "a", count: RESPParser.maximumLineLength + 1))
        #expect { try RESPParser.parse(&buffer) } throws: { ($0 as? RedisError)?.code == .protocolError }
    }

    @Test func encoderWritesArraysOfBulkStrings() {
        var out = ByteBuffer()
        RESPCommandEncoder().encode(data: RedisCommand("SET", ["key", RedisArgument(bytes: [0x00, 0x0A]), 42]), out: &out)
        #expect(out == ByteBuffer(bytes: Array("*4\r\n$3\r\nSET\r\n$3\r\nkey\r\n$2\r\n".utf8) + [0x00, 0x0A] + Array("\r\n$2\r\n42\r\n".utf8)))
    }
}

/// The decoder, encoder and pipelining handler together, on an in-memory channel.
@Suite struct RedisCommandHandlerTests {
    private func makeChannel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(RESPDecoder()), MessageToByteHandler(RESPCommandEncoder()),
            RedisCommandHandler(address: "test:6379"),
        ])
        return channel
    }

    @Test func pipelinedRepliesAreMatchedInOrderEvenWhenSplit() throws {
        let channel = try makeChannel()
        let recorder = Recorder<(Int, [RESPValue])>()
        for index in 0..<3 {
            let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
            promise.futureResult.whenSuccess { recorder.append((index, $0)) }
            let commands = (0...index).map { RedisCommand("GET", [RedisArgument("k\(index)-\($0)")]) }
            channel.write(RedisRequest(commands: commands, promise: promise), promise: nil)
        }
        channel.flush()
        // The replies arrive one byte at a time.
        for byte in Array(":0\r\n:10\r\n:11\r\n$3\r\n200\r\n:21\r\n+22\r\n".utf8) {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        let results = Dictionary(recorder.values, uniquingKeysWith: { first, _ in first })
        #expect(recorder.values.map(\.0) == [0, 1, 2])
        #expect(results[0] == [.integer(0)])
        #expect(results[1] == [.integer(10), .integer(11)])
        #expect(results[2] == [.bulkString(ByteBuffer(string: "200")), .integer(21), .simpleString("22")])
        _ = try channel.finish()
    }

    @Test func garbageFailsEveryWaitingCommandAndClosesTheChannel() throws {
        let channel = try makeChannel()
        let failures = Recorder<RedisError.Code?>()
        for _ in 0..<2 {
            let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
            promise.futureResult.whenFailure { failures.append(($0 as? RedisError)?.code) }
            channel.writeAndFlush(RedisRequest(commands: [RedisCommand("PING")], promise: promise), promise: nil)
        }
        _ = try? channel.writeInbound(ByteBuffer(string: "HTTP/1.1 400 Bad Request\r\n"))
        #expect(failures.values == [.protocolError, .protocolError])
        #expect(!channel.isActive)
    }

    @Test func closingFailsWaitingCommands() throws {
        let channel = try makeChannel()
        let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
        let failures = Recorder<RedisError.Code?>()
        promise.futureResult.whenFailure { failures.append(($0 as? RedisError)?.code) }
        channel.writeAndFlush(RedisRequest(commands: [RedisCommand("PING")], promise: promise), promise: nil)
        channel.close(promise: nil)
        channel.embeddedEventLoop.run()
        #expect(failures.values == [.connectionClosed])
    }

    @Test func oneTimerKeepsEveryWaitingRequestsDeadline() throws {
        let channel = EmbeddedChannel()
        let abandoned = Recorder<Bool>()
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(RESPDecoder()), MessageToByteHandler(RESPCommandEncoder()),
            RedisCommandHandler(address: "test:6379", onAbandon: { abandoned.append(true) }),
        ])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
        let outcomes = Recorder<String>()
        func send(_ name: String) {
            let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
            promise.futureResult.whenComplete { result in
                switch result {
                case .success(let replies): outcomes.append("\(name): \(replies.map { $0.string ?? "?" })")
                case .failure(let error): outcomes.append("\(name): \((error as? RedisError).map { "\($0.code)" } ?? "?")")
                }
            }
            channel.writeAndFlush(RedisRequest(commands: [RedisCommand("GET", [RedisArgument(name)])], timeout: .seconds(1), promise: promise), promise: nil)
        }
        send("first")
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(600))
        send("second")
        try channel.writeInbound(ByteBuffer(string: "+one\r\n"))
        // The first request's deadline passes with only the second waiting, whose own deadline is 1.6 s.
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(500))
        #expect(outcomes.values == ["first: [\"one\"]"])
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(600))
        #expect(outcomes.values == ["first: [\"one\"]", "second: timeout"])
        #expect(abandoned.values == [true], "the connection was not marked abandoned before closing")
        #expect(!channel.isActive, "a connection whose request missed its deadline stayed open")
    }

    @Test func aCallerDeadlineAnswersTheCallerAndKeepsTheConnection() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(RESPDecoder()), MessageToByteHandler(RESPCommandEncoder()),
            RedisCommandHandler(address: "test:6379"),
        ])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
        let outcomes = Recorder<String>()
        func send(_ name: String, answerBy: NIODeadline?) {
            let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
            promise.futureResult.whenComplete { result in
                switch result {
                case .success(let replies): outcomes.append("\(name): \(replies.map { $0.string ?? "?" })")
                case .failure(let error): outcomes.append("\(name): \((error as? RedisError).map { "\($0.code)" } ?? "?")")
                }
            }
            let request = RedisRequest(
                commands: [RedisCommand("GET", [RedisArgument(name)])], timeout: .seconds(1), answerBy: answerBy,
                callerDeadline: .milliseconds(50), promise: promise)
            channel.writeAndFlush(request, promise: nil)
        }
        send("hurried", answerBy: channel.eventLoop.now + .milliseconds(50))
        send("patient", answerBy: nil)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(60))
        #expect(outcomes.values == ["hurried: timeout"])
        #expect(channel.isActive, "a caller's deadline closed the connection")
        // The hurried request's late reply is dropped; the next reply is the patient one's.
        try channel.writeInbound(ByteBuffer(string: "+late\r\n+own\r\n"))
        #expect(outcomes.values == ["hurried: timeout", "patient: [\"own\"]"])
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(channel.isActive, "the connection's deadline fired for requests already answered")
    }

    @Test func aReplyNobodyAskedForIsAProtocolError() throws {
        let channel = try makeChannel()
        _ = try? channel.writeInbound(ByteBuffer(string: "+surprise\r\n"))
        #expect(!channel.isActive)
    }
}

/// Collects values from callbacks that may run on another thread.
final class Recorder<Value: Sendable>: Sendable {
    private let storage = Mutex<[Value]>([])

    func append(_ value: Value) { storage.withLock { $0.append(value) } }

    var values: [Value] { storage.withLock { $0 } }
}
