import NIOCore
import NIOHTTP1
import NIOPosix
import RepriseTesting
import Testing

@testable import RepriseGateway

/// The cached routes' HTTP/1.1 upstream client against a raw scripted server: connection reuse, body
/// framings, the keep-alive race, streaming, deadlines, limits and cancellation.
@Suite(.timeLimit(.minutes(2))) struct UpstreamHTTP1ClientTests {
    static let okBody = #"{"ok":true}"#

    static func client(_ server: ScriptedUpstreamServer, idleTimeout: TimeAmount = .seconds(60)) throws -> UpstreamHTTP1Client {
        try UpstreamHTTP1Client(
            endpoint: try #require(UpstreamEndpoint(baseURL: server.baseURL)), connectTimeout: .seconds(20), idleTimeout: idleTimeout)
    }

    static func request(_ body: String = #"{"model":"m"}"#) -> UpstreamRequest {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        return UpstreamRequest(method: .POST, path: "/v1/chat/completions", headers: headers, body: ByteBuffer(string: body))
    }

    /// A deadline no answer should need even on a machine busy with other work; the tests about deadlines
    /// set short ones of their own.
    static func soon(_ seconds: Int64 = 30) -> NIODeadline { .now() + .seconds(seconds) }

    static func send(_ client: UpstreamHTTP1Client, limit: Int = 1 << 20) async throws -> UpstreamResponse {
        try await client.send(request(), deadline: soon(), maximumResponseBytes: limit)
    }

    @Test func sequentialRequestsShareOneKeptAliveConnection() async throws {
        let server = try await ScriptedUpstreamServer { index, _ in .send([ScriptedUpstreamServer.answer(#"{"n":\#(index)}"#)]) }
        let client = try Self.client(server)
        for index in 0..<3 {
            let response = try await Self.send(client)
            #expect(response.status == 200)
            #expect(String(buffer: response.body) == #"{"n":\#(index)}"#)
        }
        #expect(server.recorded.accepted == 1)
        let request = try #require(server.recorded.requests.first)
        #expect(request.hasPrefix("POST /v1/chat/completions HTTP/1.1\r\n"))
        #expect(request.contains("Host: 127.0.0.1:\(server.port)\r\n"))
        #expect(request.hasSuffix("Content-Length: 13\r\n\r\n{\"model\":\"m\"}"))
        client.shutdown()
        await server.stop()
    }

    @Test func headAndBodyArriveInOneRead() async throws {
        let server = try await ScriptedUpstreamServer { _, _ in .send([ScriptedUpstreamServer.answer(Self.okBody)]) }
        let client = try Self.client(server)
        for _ in 0..<20 { _ = try await Self.send(client) }
        #expect(server.recorded.readsPerRequest == Array(repeating: 1, count: 20))
        client.shutdown()
        await server.stop()
    }

    @Test func anIdleConnectionTheServerClosedIsReplaced() async throws {
        // The first answer closes the connection shortly after it, while the client holds it idle.
        let server = try await ScriptedUpstreamServer { index, _ in
            .send([ScriptedUpstreamServer.answer(Self.okBody), ""], pause: .milliseconds(50), close: index == 0)
        }
        let client = try Self.client(server)
        _ = try await Self.send(client)
        #expect(await server.waitFor { $0.closed == 1 })
        let second = try await Self.send(client)
        #expect(String(buffer: second.body) == Self.okBody)
        #expect(server.recorded.accepted == 2)
        client.shutdown()
        await server.stop()
    }

    @Test func aReusedConnectionClosedBeforeAnsweringIsRetriedOnceOnAFreshOne() async throws {
        // The keep-alive race: the second request reaches a connection the server is closing.
        let server = try await ScriptedUpstreamServer { index, _ in
            index == 1 ? .close : .send([ScriptedUpstreamServer.answer(Self.okBody)])
        }
        let client = try Self.client(server)
        _ = try await Self.send(client)
        let second = try await Self.send(client)
        #expect(String(buffer: second.body) == Self.okBody)
        #expect(server.recorded.requests.count == 3)
        #expect(server.recorded.accepted == 2)
        client.shutdown()
        await server.stop()
    }

    /// An upstream that reads the request, works on it and gives up must not get it a second time: it may
    /// have run (and billed) the generation already.
    @Test func aReusedConnectionClosedLongAfterTheRequestIsNotSentAgain() async throws {
        let server = try await ScriptedUpstreamServer { index, _ in
            index == 1 ? .send([""], pause: .milliseconds(1500), close: true) : .send([ScriptedUpstreamServer.answer(Self.okBody)])
        }
        let client = try Self.client(server)
        _ = try await Self.send(client)
        await #expect(throws: UpstreamConnectionError.closedAfterRequest) {
            try await client.send(Self.request(), deadline: Self.soon(), maximumResponseBytes: 1 << 20)
        }
        #expect(server.recorded.requests.count == 2)
        client.shutdown()
        await server.stop()
    }

    @Test func aFreshConnectionClosedBeforeAnsweringFailsWithoutRetry() async throws {
        let server = try await ScriptedUpstreamServer { _, _ in .close }
        let client = try Self.client(server)
        await #expect(throws: UpstreamConnectionError.closedBeforeResponse) { try await Self.send(client) }
        #expect(server.recorded.requests.count == 1)
        client.shutdown()
        await server.stop()
    }

    @Test func aChunkedAnswerIsReassembled() async throws {
        let server = try await ScriptedUpstreamServer { _, _ in
            .send(
                ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "5\r\nhello\r\n", "6\r\n world\r\n", "0\r\n\r\n"],
                pause: .milliseconds(5))
        }
        let client = try Self.client(server)
        let response = try await Self.send(client)
        #expect(String(buffer: response.body) == "hello world")
        _ = try await Self.send(client)
        #expect(server.recorded.accepted == 1)
        client.shutdown()
        await server.stop()
    }

    @Test func anAnswerEndingAtEndOfConnectionIsReadToTheEnd() async throws {
        let server = try await ScriptedUpstreamServer { _, _ in
            .send(["HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", "read to ", "the end"], pause: .milliseconds(5), close: true)
        }
        let client = try Self.client(server)
        #expect(String(buffer: try await Self.send(client).body) == "read to the end")
        #expect(String(buffer: try await Self.send(client).body) == "read to the end")
        #expect(server.recorded.accepted == 2)
        client.shutdown()
        await server.stop()
    }

    @Test func connectionCloseIsHonoured() async throws {
        let server = try await ScriptedUpstreamServer { _, _ in
            .send([ScriptedUpstreamServer.answer(Self.okBody, extraHeaders: "Connection: close\r\n")])
        }
        let client = try Self.client(server)
        _ = try await Self.send(client)
        // The client closes the connection itself, whether or not the server does.
        #expect(await server.waitFor { $0.closed == 1 })
        _ = try await Self.send(client)
        #expect(server.recorded.accepted == 2)
        client.shutdown()
        await server.stop()
    }

    @Test func informationalAnswersAreSkipped() async throws {
        let server = try await ScriptedUpstreamServer { _, _ in
            .send(["HTTP/1.1 100 Continue\r\n\r\n", ScriptedUpstreamServer.answer(Self.okBody, status: "201 Created")])
        }
        let client = try Self.client(server)
        let response = try await Self.send(client)
        #expect(response.status == 201)
        #expect(String(buffer: response.body) == Self.okBody)
        client.shutdown()
        await server.stop()
    }

    @Test func streamedChunksArriveBeforeTheUpstreamFinishes() async throws {
        let server = try await ScriptedUpstreamServer { index, _ in
            index == 0
                ? .sendThenWait(
                    first: "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n7\r\ndata: 1\r\n",
                    rest: "7\r\ndata: 2\r\n0\r\n\r\n")
                : .send([ScriptedUpstreamServer.answer(Self.okBody)])
        }
        let client = try Self.client(server)
        let response = try await client.stream(Self.request(), deadline: Self.soon())
        #expect(response.status == 200)
        #expect(response.headers.first(name: "content-type") == "text/event-stream")
        var body = response.body.makeAsyncIterator()
        // The upstream holds the rest until the first chunk has been read.
        #expect(try await body.next().map { String(buffer: $0) } == "data: 1")
        server.proceed()
        #expect(try await body.next().map { String(buffer: $0) } == "data: 2")
        #expect(try await body.next() == nil)
        _ = try await Self.send(client)
        #expect(server.recorded.accepted == 1)
        client.shutdown()
        await server.stop()
    }

    @Test func aStreamWhoseReaderIsCancelledClosesItsConnection() async throws {
        let server = try await ScriptedUpstreamServer { index, _ in
            index == 0
                ? .sendThenWait(first: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\ndata: 1\r\n", rest: "0\r\n\r\n")
                : .send([ScriptedUpstreamServer.answer(Self.okBody)])
        }
        let client = try Self.client(server)
        let reader = Task {
            let response = try await client.stream(Self.request(), deadline: Self.soon())
            for try await _ in response.body {}
        }
        #expect(await server.waitFor { $0.requests.count == 1 })
        try await Task.sleep(for: .milliseconds(50))
        reader.cancel()
        _ = try? await reader.value
        #expect(await server.waitFor { $0.closed == 1 })
        _ = try await Self.send(client)
        #expect(server.recorded.accepted == 2)
        server.proceed()
        client.shutdown()
        await server.stop()
    }

    @Test func theDeadlineFailsASilentUpstream() async throws {
        let server = try await ScriptedUpstreamServer { _, _ in .silence }
        let client = try Self.client(server)
        let started = ContinuousClock.now
        await #expect(throws: UpstreamConnectionError.timedOut) {
            try await client.send(Self.request(), deadline: .now() + .milliseconds(200), maximumResponseBytes: 1000)
        }
        // Generous for a busy machine, far below what other tests' deadlines allow.
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(await server.waitFor { $0.closed == 1 })
        client.shutdown()
        await server.stop()
    }

    @Test func anAnswerOverTheLimitFails() async throws {
        let server = try await ScriptedUpstreamServer { _, _ in .send([ScriptedUpstreamServer.answer(String(repeating: "x", count: 500))]) }
        let client = try Self.client(server)
        await #expect(throws: UpstreamConnectionError.tooLarge(limit: 100)) { try await Self.send(client, limit: 100) }
        client.shutdown()
        await server.stop()
    }

    @Test func requestsBeyondTheConnectionLimitWaitForAConnection() async throws {
        let server = try await ScriptedUpstreamServer { index, _ in
            .send(["", ScriptedUpstreamServer.answer(#"{"n":\#(index)}"#)], pause: .milliseconds(100))
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let client = try UpstreamHTTP1Client(
            endpoint: try #require(UpstreamEndpoint(baseURL: server.baseURL)), group: group, connectTimeout: .seconds(20),
            maximumConnectionsPerLoop: 1)
        async let first = Self.send(client)
        async let second = Self.send(client)
        let bodies = try await [first, second].map { String(buffer: $0.body) }.sorted()
        #expect(bodies == [#"{"n":0}"#, #"{"n":1}"#])
        #expect(server.recorded.accepted == 1)
        // A waiter gives up at its deadline.
        async let busy = Self.send(client)
        try await Task.sleep(for: .milliseconds(20))
        await #expect(throws: UpstreamConnectionError.timedOut) {
            try await client.send(Self.request(), deadline: .now() + .milliseconds(30), maximumResponseBytes: 1000)
        }
        _ = try await busy
        client.shutdown()
        await server.stop()
        try await group.shutdownGracefully()
    }

    @Test func idleConnectionsCloseAfterTheIdleTimeout() async throws {
        let server = try await ScriptedUpstreamServer { _, _ in .send([ScriptedUpstreamServer.answer(Self.okBody)]) }
        let client = try Self.client(server, idleTimeout: .milliseconds(100))
        _ = try await Self.send(client)
        #expect(await server.waitFor { $0.closed == 1 })
        client.shutdown()
        await server.stop()
    }
}

/// A closed upstream connection must be freed: each one a client's disconnect closes would otherwise stay in
/// memory with its channel (found by the soak: about 3 KiB per disconnected stream).
@Suite struct UpstreamConnectionLifetimeTests {
    final class WeakConnection: @unchecked Sendable {
        weak var connection: UpstreamConnection?
    }

    @Test(arguments: [true, false])
    func aConnectionIsFreedOnceItCloses(afterAnExchange: Bool) async throws {
        let server = try await ScriptedUpstreamServer { _, _ in .send([ScriptedUpstreamServer.answer(#"{"ok":true}"#)]) }
        let endpoint = try #require(UpstreamEndpoint(baseURL: server.baseURL))
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let observed = WeakConnection()
        let closed: EventLoopFuture<Void>
        do {
            let connection = try await UpstreamConnection.connect(
                to: endpoint, tls: nil, on: loop, connectTimeout: .seconds(20), onExchangeEnd: { _, _ in })
            observed.connection = connection
            if afterAnExchange {
                let promise = loop.makePromise(of: UpstreamResponse.self)
                connection.execute(
                    UpstreamHTTP1ClientTests.request(), consumer: .whole(promise, limit: 1 << 20), deadline: .now() + .seconds(5), reused: false)
                #expect(try await promise.futureResult.get().status == 200)
            }
            closed = connection.closeFuture
            connection.close()
        }
        try await closed.get()
        // Let the loop finish tearing the pipeline down.
        try await loop.submit {}.get()
        #expect(observed.connection == nil, "the closed connection is still in memory")
        await server.stop()
    }
}
