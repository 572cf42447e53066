import NIOCore
import NIOPosix
import Synchronization

/// A fixed number of pipelined connections to one server, opened on first use and reopened after a
/// failure; requests take the connections in turn.
///
/// Opening is single-flight per connection: requests arriving while a connection is being opened wait
/// for that one attempt, so a burst of requests on a cold pool makes one connect per slot, not one per
/// request (a burst of connects overflows the server's accept queue).
final class MemcachedServerPool: Sendable {
    private enum Slot {
        case empty
        case connecting(Task<MemcachedConnection, any Error>)
        case open(MemcachedConnection)
    }

    private enum Lookup {
        case open(MemcachedConnection)
        case pending(Task<MemcachedConnection, any Error>)
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
        let found: Lookup = slots.withLock { slots in
            switch slots[slot] {
            case .open(let open) where open.isActive:
                return .open(open)
            case .connecting(let attempt):
                return .pending(attempt)
            case .empty, .open:
                // Unstructured by necessity: one connection attempt shared by every request that needs this
                // slot meanwhile, so it cannot be the child of any one of them. It ends within the connect timeout.
                let attempt = Task { [server, eventLoopGroup, connectTimeout] in
                    try await MemcachedConnection.connect(to: server, on: eventLoopGroup.any(), timeout: connectTimeout)
                }
                slots[slot] = .connecting(attempt)
                return .pending(attempt)
            }
        }
        let attempt: Task<MemcachedConnection, any Error>
        switch found {
        case .open(let open): return open
        case .pending(let pending): attempt = pending
        }
        do {
            let opened = try await attempt.value
            slots.withLock { slots in
                if case .connecting(let pending) = slots[slot], pending == attempt { slots[slot] = .open(opened) }
            }
            return opened
        } catch {
            slots.withLock { slots in
                if case .connecting(let pending) = slots[slot], pending == attempt { slots[slot] = .empty }
            }
            throw MemcachedClient.storeError(error, server: server)
        }
    }

    private func discard(_ connection: MemcachedConnection, at slot: Int) {
        slots.withLock { slots in
            if case .open(let open) = slots[slot], open === connection { slots[slot] = .empty }
        }
        connection.close()
    }

    /// Closes every connection.
    func close() {
        let held = slots.withLock { slots in
            defer { slots = slots.map { _ in .empty } }
            return slots
        }
        for slot in held {
            switch slot {
            case .open(let connection): connection.close()
            case .connecting(let attempt): attempt.cancel()
            case .empty: break
            }
        }
    }
}
