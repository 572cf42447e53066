import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// A raw HTTP/1.1 server on a loopback port that answers each request with bytes a test scripts, and
/// records what the client did: connections opened and closed, and how many reads each request took.
///
/// It plays the upstreams no well-behaved server framework would: one that takes a request and closes the
/// connection without answering, answers half a head, or never answers.
public final class ScriptedUpstreamServer: Sendable {
    /// What the server does with one request.
    public enum Reply: Sendable {
        /// Writes `parts` in order, `pause` apart, then closes the connection when `close` says so.
        case send([String], pause: Duration = .zero, close: Bool = false)
        /// Writes `first`, then the rest only once ``proceed()`` is called.
        case sendThenWait(first: String, rest: String)
        /// Closes the connection without answering.
        case close
        /// Never answers.
        case silence
    }

    public struct Record: Sendable {
        public var accepted = 0
        public var closed = 0
        /// Per request, in arrival order: the number of socket reads it arrived in.
        public var readsPerRequest: [Int] = []
        public var requests: [String] = []
    }

    private let shared: Shared
    private let channel: any Channel

    public var port: Int { channel.localAddress!.port! }
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var recorded: Record { shared.record.withLock { $0 } }

    /// Starts listening; `script` picks the reply to the request numbered `index` (from 0, over all
    /// connections).
    /// - Parameter tls: serve HTTPS with this context.
    public init(tls: NIOSSLContext? = nil, script: @escaping @Sendable (_ index: Int, _ request: String) -> Reply) async throws {
        let shared = Shared(script: script)
        self.shared = shared
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.addHandler(Connection(server: shared))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    /// Releases the rest of every `.sendThenWait` answer held so far.
    public func proceed() {
        for release in shared.gate.withLock({ gate in defer { gate = [] }; return gate }) { release() }
    }

    public func stop() async {
        try? await channel.close()
    }

    /// Waits until `condition` holds for the record, up to two seconds.
    public func waitFor(_ condition: (Record) -> Bool) async -> Bool {
        for _ in 0..<200 {
            if condition(recorded) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(recorded)
    }

    /// What the server's connections share.
    private final class Shared: Sendable {
        let record = Mutex(Record())
        let gate = Mutex<[@Sendable () -> Void]>([])
        let script: @Sendable (_ index: Int, _ request: String) -> Reply

        init(script: @escaping @Sendable (_ index: Int, _ request: String) -> Reply) {
            self.script = script
        }

        func accepted() { record.withLock { $0.accepted += 1 } }
        func closed() { record.withLock { $0.closed += 1 } }

        func received(_ request: String, reads: Int) -> Reply {
            let index = record.withLock { record in
                record.readsPerRequest.append(reads)
                record.requests.append(request)
                return record.requests.count - 1
            }
            return script(index, request)
        }

        func hold(_ release: @escaping @Sendable () -> Void) {
            gate.withLock { $0.append(release) }
        }
    }

    /// One accepted connection: frames requests by `Content-Length` and plays the script's replies.
    private final class Connection: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let server: Shared
        var pending: [UInt8] = []
        var reads = 0

        init(server: Shared) {
            self.server = server
        }

        func channelActive(context: ChannelHandlerContext) {
            server.accepted()
            context.fireChannelActive()
        }

        func channelInactive(context: ChannelHandlerContext) {
            server.closed()
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            pending += buffer.readBytes(length: buffer.readableBytes) ?? []
            reads += 1
            while let request = nextRequest() {
                play(server.received(request, reads: reads), context: context)
                reads = 0
            }
        }

        /// The first complete request in `pending`, framed by its `Content-Length`, removed from it.
        private func nextRequest() -> String? {
            let separator: [UInt8] = Array("\r\n\r\n".utf8)
            guard pending.count >= 4,
                let headEnd = (0...(pending.count - 4)).first(where: { Array(pending[$0..<$0 + 4]) == separator })
            else { return nil }
            let head = String(decoding: pending[..<headEnd], as: UTF8.self).lowercased()
            let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            let total = headEnd + 4 + length
            guard pending.count >= total else { return nil }
            defer { pending.removeFirst(total) }
            return String(decoding: pending[..<total], as: UTF8.self)
        }

        private func play(_ reply: Reply, context: ChannelHandlerContext) {
            let loop = context.eventLoop.assumeIsolated()
            switch reply {
            case .close:
                context.close(promise: nil)
            case .silence:
                break
            case .sendThenWait(let first, let rest):
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: first)), promise: nil)
                let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
                let eventLoop = context.eventLoop
                server.hold {
                    eventLoop.execute {
                        bound.value.writeAndFlush(handler.value.wrapOutboundOut(ByteBuffer(string: rest)), promise: nil)
                    }
                }
            case .send(let parts, let pause, let close):
                guard let part = parts.first else {
                    if close { context.close(promise: nil) }
                    return
                }
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: part)), promise: nil)
                let rest = Reply.send(Array(parts.dropFirst()), pause: pause, close: close)
                if pause == .zero {
                    play(rest, context: context)
                } else {
                    loop.scheduleTask(in: .nanoseconds(Int64(pause / .nanoseconds(1)))) {
                        self.play(rest, context: context)
                    }
                }
            }
        }
    }
}

extension ScriptedUpstreamServer {
    /// A complete answer with a `Content-Length` body.
    public static func answer(_ body: String, status: String = "200 OK", extraHeaders: String = "") -> String {
        "HTTP/1.1 \(status)\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\(extraHeaders)\r\n\(body)"
    }
}
