import NIOCore
import NIOPosix
import Synchronization

@testable import RepriseRedis

/// A Redis node on loopback that a test scripts: each command is answered as the test's `answer` says, at
/// once or held until ``release()``. It counts the connections it accepted and saw close and records the
/// commands it received, and lets a test wait for those counts instead of sleeping.
final class FakeRedisNode: Sendable {
    /// What the node answers a command with, as RESP text.
    enum Answer: Sendable {
        case now(String)
        /// Sent when the test calls ``FakeRedisNode/release()``. Later answers on the same connection wait
        /// behind it, as a real server's would.
        case held(String)
    }

    struct Counts: Sendable {
        var accepted = 0
        var closed = 0
        /// Every command received, in order, as its words (`["CLUSTER", "SHARDS"]`).
        var commands: [[String]] = []

        /// How many commands received begin with `words`.
        func received(_ words: String...) -> Int {
            commands.count(where: { $0.starts(with: words) })
        }
    }

    /// Its own event loop, so the load of other tests running in parallel does not delay the answers.
    private static let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    let endpoint: RedisEndpoint
    private let server: any Channel
    private let recorder: Recorder

    private init(server: any Channel, recorder: Recorder) {
        self.server = server
        self.recorder = recorder
        endpoint = RedisEndpoint(host: "127.0.0.1", port: server.localAddress?.port ?? 0)
    }

    static func start(answer: @escaping @Sendable (_ command: [String]) -> Answer) async throws -> FakeRedisNode {
        let recorder = Recorder()
        let server = try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture(withResultOf: {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(RESPDecoder()),
                        FakeRedisHandler(recorder: recorder, answer: answer),
                    ])
                })
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return FakeRedisNode(server: server, recorder: recorder)
    }

    var counts: Counts { recorder.counts }

    /// Returns once the counts meet `condition` (at once when they do), or the task is cancelled (at the
    /// suite's time limit).
    func waitUntil(_ condition: @escaping @Sendable (Counts) -> Bool) async {
        await recorder.waitUntil(condition)
    }

    /// Sends every held answer; later ones are sent at once.
    func release() {
        for channel in recorder.release() {
            channel.pipeline.fireUserInboundEventTriggered(FakeRedisHandler.Release())
        }
    }

    /// Stops listening and closes the connections still open.
    func stop() async throws {
        try await server.close()
        for channel in recorder.channels { try? await channel.close() }
    }
}

extension FakeRedisNode {
    /// The node's counts and held answers, shared by the handlers of all its connections.
    fileprivate final class Recorder: Sendable {
        private struct State {
            var counts = FakeRedisNode.Counts()
            var isHolding = true
            var channels: [any Channel] = []
            var waiters: [Int: (condition: @Sendable (FakeRedisNode.Counts) -> Bool, continuation: CheckedContinuation<Void, Never>)] = [:]
            var nextWaiter = 0
        }

        private let state = Mutex(State())

        var counts: FakeRedisNode.Counts { state.withLock { $0.counts } }
        var isHolding: Bool { state.withLock { $0.isHolding } }
        var channels: [any Channel] { state.withLock { $0.channels } }

        func accepted(_ channel: any Channel) { change { $0.counts.accepted += 1; $0.channels.append(channel) } }
        func closed() { change { $0.counts.closed += 1 } }
        func received(_ command: [String]) { change { $0.counts.commands.append(command) } }

        /// Stops holding answers, and returns the connections whose held answers are to be sent.
        func release() -> [any Channel] {
            state.withLock { state in
                state.isHolding = false
                return state.channels
            }
        }

        /// Returns once the counts meet `condition`, or the task is cancelled (at the suite's time limit).
        func waitUntil(_ condition: @escaping @Sendable (FakeRedisNode.Counts) -> Bool) async {
            let waiter = state.withLock { state in
                defer { state.nextWaiter += 1 }
                return state.nextWaiter
            }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let met = state.withLock { state in
                        let met = condition(state.counts) || Task.isCancelled
                        if !met { state.waiters[waiter] = (condition, continuation) }
                        return met
                    }
                    if met { continuation.resume() }
                }
            } onCancel: {
                state.withLock { $0.waiters.removeValue(forKey: waiter) }?.continuation.resume()
            }
        }

        private func change(_ body: (inout State) -> Void) {
            let met = state.withLock { state in
                body(&state)
                let counts = state.counts
                let met = state.waiters.filter { $0.value.condition(counts) }
                for waiter in met.keys { state.waiters[waiter] = nil }
                return met.values.map(\.continuation)
            }
            for continuation in met { continuation.resume() }
        }
    }
}

/// Answers the commands of one connection, in order: once an answer is held, the later ones wait behind it.
private final class FakeRedisHandler: ChannelInboundHandler {
    typealias InboundIn = RESPValue
    typealias OutboundOut = ByteBuffer

    /// The event that sends the held answers.
    struct Release {}

    private let recorder: FakeRedisNode.Recorder
    private let answer: @Sendable ([String]) -> FakeRedisNode.Answer
    private var unsent: [String] = []
    private var isBlocked = false

    init(recorder: FakeRedisNode.Recorder, answer: @escaping @Sendable ([String]) -> FakeRedisNode.Answer) {
        self.recorder = recorder
        self.answer = answer
    }

    func channelActive(context: ChannelHandlerContext) {
        recorder.accepted(context.channel)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        recorder.closed()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let command = (unwrapInboundIn(data).elements ?? []).compactMap(\.string)
        recorder.received(command)
        switch answer(command) {
        case .now(let text):
            unsent.append(text)
        case .held(let text):
            unsent.append(text)
            if recorder.isHolding { isBlocked = true }
        }
        if !isBlocked { sendUnsent(context) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is Release {
            isBlocked = false
            sendUnsent(context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    private func sendUnsent(_ context: ChannelHandlerContext) {
        for text in unsent { context.write(wrapOutboundOut(ByteBuffer(string: text)), promise: nil) }
        unsent = []
        context.flush()
    }
}
