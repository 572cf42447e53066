import NIOCore
import NIOPosix
import Synchronization

/// A fixed number of pipelined connections to one server, opened on first use and reopened after a
/// failure; requests take the connections in turn.
final class MemcachedServerPool: Sendable {
    let server: MemcachedServer
    private let connectTimeout: Duration
    private let eventLoopGroup: any EventLoopGroup
    private let slots: Mutex<[MemcachedConnection?]>
    private let turn = Atomic<Int>(0)

    init(server: MemcachedServer, connections: Int, connectTimeout: Duration, eventLoopGroup: any EventLoopGroup) {
        self.server = server
        self.connectTimeout = connectTimeout
        self.eventLoopGroup = eventLoopGroup
        self.slots = Mutex(Array(repeating: nil, count: connections))
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
        if let open = slots.withLock({ $0[slot] }), open.isActive { return open }
        let opened: MemcachedConnection
        do {
            opened = try await MemcachedConnection.connect(to: server, on: eventLoopGroup.any(), timeout: connectTimeout)
        } catch {
            throw MemcachedClient.storeError(error, server: server)
        }
        // Tasks that found the slot empty at once all connect; the first to finish keeps its connection
        // and the others close theirs, which carry no requests yet.
        let kept = slots.withLock { slots in
            if let existing = slots[slot], existing.isActive { return existing }
            slots[slot] = opened
            return opened
        }
        if kept !== opened { opened.close() }
        return kept
    }

    private func discard(_ connection: MemcachedConnection, at slot: Int) {
        slots.withLock { slots in
            if slots[slot] === connection { slots[slot] = nil }
        }
        connection.close()
    }

    /// Closes every connection.
    func close() {
        let open = slots.withLock { slots in
            defer { slots = slots.map { _ in nil } }
            return slots
        }
        for connection in open { connection?.close() }
    }
}
