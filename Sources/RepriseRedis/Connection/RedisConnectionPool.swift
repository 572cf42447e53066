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
///
/// A slot's connection is opened once for every command that needs it meanwhile: the attempt is a future
/// (``RedisConnection/connect(to:settings:on:)``) that each command waits on until its own deadline, and that
/// goes on for the others when one stops waiting. No task runs it, so none is left behind: it ends by itself
/// within the connect timeout, and closes what it opened when the pool was shut down meanwhile.
final class RedisConnectionPool: Sendable {
    private enum Slot {
        case empty
        case connecting(EventLoopFuture<RedisConnection>)
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

    /// The loop a slot's connection is opened on: its own when slots are shared out, else any of the group's.
    private func loop(forSlot index: Int) -> any EventLoop {
        loops.isEmpty ? group.next() : loops[index % loops.count]
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
        case .pending(let attempt): connection = try await awaitConnection(attempt, until: answerBy, deadline: deadline)
        }
        return try await connection.send(commands, answerBy: answerBy, deadline: deadline)
    }

    /// Sends one command, as a future: for work no task waits on (the cluster's slot-map reload).
    func submit(_ command: RedisCommand) -> EventLoopFuture<RESPValue> {
        let lease: Lease
        do {
            lease = try self.lease()
        } catch {
            return group.any().makeFailedFuture(error)
        }
        switch lease {
        case .ready(let connection): return connection.submit([command]).map { $0[0] }
        case .pending(let attempt): return attempt.flatMap { $0.submit([command]) }.map { $0[0] }
        }
    }

    private enum Lease {
        case ready(RedisConnection)
        /// The attempt opening the slot's connection, shared with every other command waiting for it.
        case pending(EventLoopFuture<RedisConnection>)
    }

    /// A live connection from the next slot, opening one when the slot holds none.
    func connection() async throws -> RedisConnection {
        switch try lease() {
        case .ready(let connection): return connection
        case .pending(let attempt): return try await attempt.get()
        }
    }

    /// The next slot's connection, or the attempt opening it, started here when the slot holds neither.
    private func lease() throws -> Lease {
        typealias Opening = (slot: Int, promise: EventLoopPromise<RedisConnection>)
        let claim = try state.withLock { state throws -> (lease: Lease, opening: Opening?) in
            guard !state.isShutDown else { throw RedisError.shutDown }
            let index = nextSlot(&state)
            switch state.slots[index] {
            case .ready(let connection) where connection.isActive:
                return (.ready(connection), nil)
            case .connecting(let attempt):
                return (.pending(attempt), nil)
            case .ready, .empty:
                let promise = loop(forSlot: index).makePromise(of: RedisConnection.self)
                state.slots[index] = .connecting(promise.futureResult)
                return (.pending(promise.futureResult), (index, promise))
            }
        }
        // Started outside the lock: a connect that fails at once (a TLS setup error) completes, and takes the
        // lock to empty the slot, before `connect` returns.
        if let opening = claim.opening { open(slot: opening.slot, completing: opening.promise) }
        return claim.lease
    }

    /// Opens slot `index`'s connection and completes `promise` (the slot's attempt) with it. The slot is settled
    /// before any waiting command resumes: it holds the connection once opened, and is empty again after a
    /// failure so the next command tries anew. A connection opened after shutdown is closed, and its waiters fail.
    private func open(slot index: Int, completing promise: EventLoopPromise<RedisConnection>) {
        let attempt = promise.futureResult
        RedisConnection.connect(to: endpoint, settings: settings, on: attempt.eventLoop).whenComplete { result in
            let isShutDown = self.state.withLock { state -> Bool in
                // Shutdown empties every slot, so a slot still holding this attempt belongs to a running pool.
                if case .connecting(let current) = state.slots[index], current == attempt {
                    state.slots[index] = switch result {
                    case .success(let connection): .ready(connection)
                    case .failure: .empty
                    }
                }
                return state.isShutDown
            }
            switch result {
            case .success(let connection) where isShutDown:
                connection.close()
                promise.fail(RedisError.shutDown)
            default:
                promise.completeWith(result)
            }
        }
    }

    /// Waits for `attempt` until `answerBy` at most; the connection goes on opening for later commands.
    /// Rare (only while a connection opens), so the waiter's promise and timer cost nothing on the hot path.
    private func awaitConnection(
        _ attempt: EventLoopFuture<RedisConnection>, until answerBy: NIODeadline, deadline: Duration
    ) async throws -> RedisConnection {
        let loop = MultiThreadedEventLoopGroup.currentEventLoop ?? group.any()
        let promise = loop.makePromise(of: RedisConnection.self)
        attempt.cascade(to: promise)
        let address = endpoint.description
        let timer = loop.scheduleTask(deadline: answerBy) {
            promise.fail(RedisError.timeout("Opening a connection to", deadline, address))
        }
        promise.futureResult.whenComplete { _ in timer.cancel() }
        return try await promise.futureResult.get()
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
            // A connection still opening is closed by its attempt as it opens, within the connect timeout: the
            // attempt finds the pool shut down (see open(slot:completing:)).
            case .connecting, .empty: break
            }
        }
    }
}
