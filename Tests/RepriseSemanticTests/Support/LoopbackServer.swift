import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A scripted HTTP server on a free loopback port: `answer` turns each request into a status and a body.
/// It counts requests and keeps them, so tests can check what a client sent.
final class LoopbackServer: Sendable {
    /// A request as the server saw it.
    struct Received: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: Data
    }

    /// What to answer: a status, a body, optional extra header fields, and an optional delay before the head.
    struct Answer: Sendable {
        var status: Int
        var body: Data
        var delay: Duration = .zero
        var headers: [String: String] = [:]

        static func json(_ object: Any, status: Int = 200) -> Answer {
            Answer(status: status, body: try! JSONSerialization.data(withJSONObject: object))
        }
    }

    private let answer: @Sendable (Received) -> Answer
    private let received = Mutex<[Received]>([])

    init(answer: @escaping @Sendable (Received) -> Answer) {
        self.answer = answer
    }

    var requests: [Received] { received.withLock { $0 } }
    var requestCount: Int { received.withLock { $0.count } }

    /// Runs the server for the duration of `body`, which receives its base URL (`http://127.0.0.1:PORT`).
    func withRunning<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: Responder(server: self),
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "loopback-test"),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "loopback-test", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            defer { group.cancelAll() }
            return try await body("http://127.0.0.1:\(port)")
        }
    }

    private struct Responder: HTTPResponder {
        typealias Context = BasicRequestContext
        let server: LoopbackServer

        func respond(to request: Request, context: Context) async throws -> Response {
            let bytes = try await request.body.collect(upTo: 16 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let received = Received(method: request.method.rawValue, path: request.uri.path, headers: headers, body: Data(bytes.readableBytesView))
            server.received.withLock { $0.append(received) }
            let answer = server.answer(received)
            if answer.delay > .zero { try await Task.sleep(for: answer.delay) }
            var fields: HTTPFields = [.contentType: "application/json"]
            for (name, value) in answer.headers { fields[.init(name)!] = value }
            return Response(
                status: .init(code: answer.status), headers: fields,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
        }
    }
}
