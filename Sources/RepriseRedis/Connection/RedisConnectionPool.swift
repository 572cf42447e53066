import NIOCore
import NIOPosix
import Synchronization

/// A bounded set of pipelined connections to one node, opened on first use and reopened after failure.
///
/// Commands are spread round-robin over at most ``size`` connections; each connection carries many
/// commands at once, so a handful serve thousands of concurrent callers. When the group is a
/// `MultiThreadedEventLoopGroup` and the pool has at least a slot per loop, the slots are shared out among
/// its event loops, each connection opened on
/// its slot's loop, and a caller running on one of those loops (as a gateway request does) uses that
/// loop's connections: its command and reply never cross threads. A connection found closed
/// (the server restarted, a command timed out) is replaced by the next command that picks its slot, so
/// the pool recovers without being recreated. While the node is down, every command fails fast with
/// the connect error.
final class RedisConnectionPool: Sendable {
    private enum Slot {
        case empty
        case connecting(Task<RedisConnection, any Error>)
        case ready(RedisConnection)
    }

    private struct State {
        var slots: [Slot]
        var next = 0
        /// The next slot per event loop, by the loop's position.
        var nextOnLoop: [Int]
        var isShutDown = false
    }

    let endpoint: RedisEndpoint
    let size: Int
    private let settings: RedisConnectionSettings
    private let group: any EventLoopGroup
    /// The group's loops when slots are shared out among them (slot `i` belongs to loop `i % loops.count`);
    /// empty otherwise.
    private let loops: [any EventLoop]
    private let state: Mutex<State>

    init(endpoint: RedisEndpoint, settings: RedisConnectionSettings, size: Int, group: any EventLoopGroup) {
        self.endpoint = endpoint
        self.settings = settings
        self.group = group
        let size = max(1, size)
        let groupLoops = group is MultiThreadedEventLoopGroup ? Array(group.makeIterator()) : []
        // Shared out only when every loop can own a slot; a smaller pool is used round-robin from any loop.
        let loops = size >= groupLoops.count ? groupLoops : []
        self.loops = loops
        self.size = size
        self.state = Mutex(State(slots: Array(repeating: .empty, count: self.size), nextOnLoop: Array(repeating: 0, count: loops.count)))
    }

    /// The slot for the next command: the calling loop's next slot when the caller runs on one of the
    /// group's loops, else the next slot overall.
    private func nextSlot(_ state: inout State) -> Int {
        if let current = MultiThreadedEventLoopGroup.currentEventLoop,
            let position = loops.firstIndex(where: { $0 === current })
        {
            let owned = (size - position + loops.count - 1) / loops.count
            let index = position + loops.count * state.nextOnLoop[position]
            state.nextOnLoop[position] = (state.nextOnLoop[position] + 1) % owned
            return index
        }
        let index = state.next
        state.next = (state.next + 1) % state.slots.count
        return index
    }

    /// The slot the next command from the calling thread goes to (see ``nextSlot(_:)``).
    func nextSlotIndex() -> Int {
        state.withLock { nextSlot(&$0) }
    }

    /// The group a slot's connection is opened on: its own loop when slots are shared out.
    private func group(forSlot index: Int) -> any EventLoopGroup {
        loops.isEmpty ? group : loops[index % loops.count]
    }

    /// Sends `commands` back to back on one connection and returns their replies in order.
    func send(_ commands: [RedisCommand]) async throws -> [RESPValue] {
        try await connection().send(commands)
    }

    /// Sends one command and returns its reply (an error reply is returned, not thrown).
    func send(_ command: RedisCommand) async throws -> RESPValue {
        try await connection().send([command])[0]
    }

    /// Sends `commands` and waits for their replies until `deadline` from now at most, counting the wait for
    /// a connection to open. A late reply no longer concerns the caller; the connection stays usable.
    func send(_ commands: [RedisCommand], within deadline: Duration) async throws -> [RESPValue] {
        let answerBy = NIODeadline.now() + .nanoseconds(deadline.nanoseconds)
        let connection: RedisConnection
        switch try lease() {
        case .ready(let ready): connection = ready
        case .pending(let index, let pending): connection = try await awaitConnection(pending, slot: index, until: answerBy, deadline: deadline)
        }
        return try await connection.send(commands, answerBy: answerBy, deadline: deadline)
    }

    private enum Lease {
        case ready(RedisConnection)
        case pending(slot: Int, Task<RedisConnection, any Error>)
    }

    /// A live connection from the next slot, opening one when the slot holds none.
    func connection() async throws -> RedisConnection {
        switch try lease() {
        case .ready(let connection): return connection
        case .pending(let index, let pending): return try await awaitConnection(pending, slot: index)
        }
    }

    /// The next slot's connection, or the task opening it.
    private func lease() throws -> Lease {
        try state.withLock { state throws -> Lease in
            guard !state.isShutDown else { throw RedisError.shutDown }
            let index = nextSlot(&state)
            switch state.slots[index] {
            case .ready(let connection) where connection.isActive:
                return .ready(connection)
            case .connecting(let task):
                return .pending(slot: index, task)
            case .ready, .empty:
                let endpoint = self.endpoint, settings = self.settings, group = self.group(forSlot: index)
                // Unstructured by necessity: one connection attempt shared by every command that needs this slot
                // meanwhile, so it cannot be the child of any one of them (the first leaving would cancel the
                // others' connection). It ends by itself within the connect timeout; shutdown() closes what it opens.
                let task = Task { try await RedisConnection.connect(to: endpoint, settings: settings, group: group) }
                state.slots[index] = .connecting(task)
                return .pending(slot: index, task)
            }
        }
    }

    /// Waits for `pending` until `answerBy` at most; the connection goes on opening for later commands.
    /// Rare (only while a connection opens), so the race's task and timer cost nothing on the hot path.
    private func awaitConnection(
        _ pending: Task<RedisConnection, any Error>, slot index: Int, until answerBy: NIODeadline, deadline: Duration
    ) async throws -> RedisConnection {
        let loop = MultiThreadedEventLoopGroup.currentEventLoop ?? group.any()
        let promise = loop.makePromise(of: RedisConnection.self)
        // Unstructured by necessity: awaiting the shared attempt's value cannot be interrupted, so a child task
        // doing it would hold its group until the attempt ends; this waiter ends with the attempt (within the
        // connect timeout) while the command stops waiting at its deadline.
        Task {
            do { promise.succeed(try await self.awaitConnection(pending, slot: index)) } catch { promise.fail(error) }
        }
        let address = endpoint.description
        let timer = loop.scheduleTask(deadline: answerBy) {
            promise.fail(RedisError.timeout("Opening a connection to", deadline, address))
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        return try await promise.futureResult.get()
    }

    private func awaitConnection(_ pending: Task<RedisConnection, any Error>, slot index: Int) async throws -> RedisConnection {
        do {
            let connection = try await pending.value
            let keep = state.withLock { state -> Bool in
                guard !state.isShutDown else { return false }
                if case .connecting(let task) = state.slots[index], task == pending { state.slots[index] = .ready(connection) }
                return true
            }
            guard keep else {
                connection.close()
                throw RedisError.shutDown
            }
            return connection
        } catch {
            state.withLock { state in
                if case .connecting(let task) = state.slots[index], task == pending { state.slots[index] = .empty }
            }
            throw error
        }
    }

    /// Closes every connection; later commands throw ``RedisError/Code/shutDown``.
    func shutdown() {
        let slots = state.withLock { state in
            state.isShutDown = true
            defer { state.slots = state.slots.map { _ in .empty } }
            return state.slots
        }
        for slot in slots {
            switch slot {
            case .ready(let connection): connection.close()
            // Unstructured by necessity: shutdown() is synchronous (called from a service's shutdown handler and
            // deinit paths), and a connection still opening is closed once it opens, within the connect timeout.
            case .connecting(let task): Task { try? await task.value.close() }
            case .empty: break
            }
        }
    }
}
