import NIOCore
import NIOPosix
import Synchronization

/// A fixed number of pipelined connections to one server, opened on first use and reopened after a
/// failure; requests take the connections in turn.
///
/// Opening is single-flight per connection: requests arriving while a connection is being opened wait
/// for that one attempt, so a burst of requests on a cold pool makes one connect per slot, not one per
/// request (a burst of connects overflows the server's accept queue). The attempt is a future, not a task:
/// no request owns it and none is left running, since it ends by itself within the connect timeout.
final class MemcachedServerPool: Sendable {
    private enum Slot {
        case empty
        /// A connection being opened, shared by every request that needs the slot meanwhile.
        case connecting(EventLoopFuture<MemcachedConnection>)
        case open(MemcachedConnection)
    }

    /// A slot's connection: open, or the attempt opening it.
    enum Lookup {
        case open(MemcachedConnection)
        case pending(EventLoopFuture<MemcachedConnection>)
    }

    let server: MemcachedServer
    private let connectTimeout: Duration
    private let eventLoopGroup: any EventLoopGroup
    private let slots: Mutex<[Slot]>
    private let turn = Atomic<Int>(0)

    init(server: MemcachedServer, connections: Int, connectTimeout: Duration, eventLoopGroup: any EventLoopGroup) {
        self.server = server
        self.connectTimeout = connectTimeout
        self.eventLoopGroup = eventLoopGroup
        self.slots = Mutex(Array(repeating: .empty, count: connections))
    }

    /// Sends `commands` over the next connection, opening it if needed.
    /// - Throws: ``Reprise/CacheStoreError`` when the server cannot be reached or breaks the protocol.
    func send(_ commands: [MemcachedCommand], end: MemcachedRequest.End) async throws -> [MemcachedResponse] {
        let slot = (turn.add(1, ordering: .relaxed).oldValue & Int.max) % slots.withLock { $0.count }
        let connection = try await connection(at: slot)
        do {
            return try await connection.send(commands, end: end)
        } catch {
            discard(connection, at: slot)
            throw MemcachedClient.storeError(error, server: server)
        }
    }

    private func connection(at slot: Int) async throws -> MemcachedConnection {
        switch lookup(slot) {
        case .open(let open):
            return open
        case .pending(let attempt):
            do {
                return try await attempt.get()
            } catch {
                throw MemcachedClient.storeError(error, server: server)
            }
        }
    }

    /// The open connection of `slot`, or the attempt opening it, started here when the slot holds neither.
    func lookup(_ slot: Int) -> Lookup {
        let claim = slots.withLock { slots -> (lookup: Lookup, opening: EventLoopPromise<MemcachedConnection>?) in
            switch slots[slot] {
            case .open(let open) where open.isActive:
                return (.open(open), nil)
            case .connecting(let attempt):
                return (.pending(attempt), nil)
            case .empty, .open:
                let promise = eventLoopGroup.any().makePromise(of: MemcachedConnection.self)
                slots[slot] = .connecting(promise.futureResult)
                return (.pending(promise.futureResult), promise)
            }
        }
        // Started outside the lock: a connect that fails at once completes, and takes the lock to empty the
        // slot, before `connect` returns.
        if let promise = claim.opening { open(slot, completing: promise) }
        return claim.lookup
    }

    /// Opens the connection of `slot` and completes `promise` (the slot's attempt) with it. The slot is settled
    /// before any waiting request resumes: it holds the connection once opened, and is empty again after a
    /// failure so the next request tries anew. A connection opened after ``close()`` is closed, and its
    /// waiters fail.
    private func open(_ slot: Int, completing promise: EventLoopPromise<MemcachedConnection>) {
        let attempt = promise.futureResult
        MemcachedConnection.connect(to: server, on: attempt.eventLoop, timeout: connectTimeout).whenComplete { result in
            let isCurrent = self.slots.withLock { slots -> Bool in
                // close() empties every slot, so only a slot still holding this attempt takes its outcome.
                guard case .connecting(let current) = slots[slot], current == attempt else { return false }
                slots[slot] = switch result {
                case .success(let connection): .open(connection)
                case .failure: .empty
                }
                return true
            }
            switch result {
            case .success(let connection) where !isCurrent:
                connection.close()
                promise.fail(MemcachedConnectionClosed())
            default:
                promise.completeWith(result)
            }
        }
    }

    private func discard(_ connection: MemcachedConnection, at slot: Int) {
        slots.withLock { slots in
            if case .open(let open) = slots[slot], open === connection { slots[slot] = .empty }
        }
        connection.close()
    }

    /// Closes every connection; one still opening is closed by its attempt as it opens (within the connect
    /// timeout), finding its slot emptied.
    func close() {
        let held = slots.withLock { slots in
            defer { slots = slots.map { _ in .empty } }
            return slots
        }
        for slot in held {
            if case .open(let connection) = slot { connection.close() }
        }
    }
}
