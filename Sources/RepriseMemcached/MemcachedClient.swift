import Logging
import NIOCore
import NIOPosix
import Reprise

/// A memcached client over the meta text protocol: one pool of pipelined connections per server, keys
/// spread over the servers by consistent hashing.
final class MemcachedClient: Sendable {
    let configuration: MemcachedConfiguration
    private let pools: [MemcachedServerPool]
    private let ring: ConsistentHashRing

    init(configuration: MemcachedConfiguration, eventLoopGroup: any EventLoopGroup) {
        self.configuration = configuration
        self.pools = configuration.servers.map {
            MemcachedServerPool(
                server: $0, connections: configuration.connectionsPerServer, connectTimeout: configuration.connectTimeout,
                eventLoopGroup: eventLoopGroup)
        }
        self.ring = ConsistentHashRing(servers: configuration.servers, pointsPerServer: configuration.virtualNodesPerServer)
    }

    /// What a set did.
    enum SetOutcome: Equatable {
        case stored
        /// The server refused the item as larger than its item size limit.
        case tooLarge
    }

    func get(_ key: String) async throws -> (value: ByteBuffer, flags: UInt32?)? {
        let pool = pool(for: key)
        switch try await single(.get(key: key, quiet: false), on: pool) {
        case .value(let value, let flags, _): return (value, flags)
        case .miss: return nil
        case let other: throw unexpected(other, to: "mg", on: pool)
        }
    }

    /// Reads several keys, one pipelined batch (quiet gets ended by `mn`) per server, servers in parallel.
    func get(many keys: [String]) async throws -> [String: ByteBuffer] {
        let byServer = Dictionary(grouping: Set(keys)) { ring.server(for: $0) }
        return try await withThrowingTaskGroup(of: [String: ByteBuffer].self) { group in
            for (server, keys) in byServer {
                let pool = pools[server]
                group.addTask {
                    let answers = try await pool.send(keys.map { .get(key: $0, quiet: true) } + [.noop], end: .atNoop)
                    var found: [String: ByteBuffer] = [:]
                    for answer in answers {
                        guard case .value(let value, _, let key?) = answer else { throw self.unexpected(answer, to: "mg q", on: pool) }
                        found[key] = value
                    }
                    return found
                }
            }
            return try await group.reduce(into: [:]) { $0.merge($1) { first, _ in first } }
        }
    }

    func set(_ key: String, value: ByteBuffer, timeToLiveSeconds: Int, flags: UInt32) async throws -> SetOutcome {
        let pool = pool(for: key)
        switch try await single(.set(key: key, value: value, timeToLiveSeconds: timeToLiveSeconds, flags: flags), on: pool) {
        case .done: return .stored
        case .serverError(let message) where message.contains("too large"): return .tooLarge
        case let other: throw unexpected(other, to: "ms", on: pool)
        }
    }

    /// - Returns: whether the key existed.
    func delete(_ key: String) async throws -> Bool {
        let pool = pool(for: key)
        switch try await single(.delete(key: key), on: pool) {
        case .done: return true
        case .notFound: return false
        case let other: throw unexpected(other, to: "md", on: pool)
        }
    }

    /// Adds `delta` to the counters `keys` (creating each missing one at `initial()`), one pipelined batch
    /// per server, and answers their new values.
    func increment(_ keys: [String], delta: UInt64, initial: @Sendable () -> UInt64) async throws -> [String: UInt64] {
        let byServer = Dictionary(grouping: Set(keys)) { ring.server(for: $0) }
        return try await withThrowingTaskGroup(of: [String: UInt64].self) { group in
            for (server, keys) in byServer {
                let pool = pools[server]
                let commands = keys.map { MemcachedCommand.increment(key: $0, initial: initial(), delta: delta) }
                group.addTask {
                    let answers = try await pool.send(commands, end: .afterAnswers(commands.count))
                    var values: [String: UInt64] = [:]
                    for (key, answer) in zip(keys, answers) {
                        guard case .value(let value, _, _) = answer, let number = UInt64(String(buffer: value)) else {
                            throw self.unexpected(answer, to: "ma", on: pool)
                        }
                        values[key] = number
                    }
                    return values
                }
            }
            return try await group.reduce(into: [:]) { $0.merge($1) { first, _ in first } }
        }
    }

    /// Every server's `stats`, by server; a server that cannot be reached is left out.
    func statistics() async -> [MemcachedServer: [String: String]] {
        await withTaskGroup(of: (MemcachedServer, [String: String])?.self) { group in
            for pool in pools {
                group.addTask {
                    guard let answers = try? await pool.send([.stats], end: .atEnd) else { return nil }
                    var values: [String: String] = [:]
                    for case .stat(let name, let value) in answers { values[name] = value }
                    return (pool.server, values)
                }
            }
            return await group.reduce(into: [:]) { result, answer in
                if let (server, values) = answer { result[server] = values }
            }
        }
    }

    /// The index of the server `key` lives on.
    func serverIndex(for key: String) -> Int { ring.server(for: key) }

    func close() {
        for pool in pools { pool.close() }
    }

    private func pool(for key: String) -> MemcachedServerPool { pools[ring.server(for: key)] }

    private func single(_ command: MemcachedCommand, on pool: MemcachedServerPool) async throws -> MemcachedResponse {
        let answers = try await pool.send([command], end: .afterAnswers(1))
        guard let answer = answers.first else { throw unexpected(nil, to: "a command", on: pool) }
        return answer
    }

    private func unexpected(_ answer: MemcachedResponse?, to command: String, on pool: MemcachedServerPool) -> CacheStoreError {
        let shown = answer.map { "\($0)".prefix(80) } ?? "nothing"
        return .protocolViolation("memcached://\(pool.server)", detail: "unexpected answer \(shown) to \(command)")
    }

    /// The store error for a failure talking to `server`.
    static func storeError(_ error: any Error, server: MemcachedServer) -> CacheStoreError {
        if let error = error as? CacheStoreError { return error }
        if let error = error as? MemcachedProtocolError {
            return .protocolViolation("memcached://\(server)", detail: error.detail)
        }
        return .unavailable("memcached://\(server)", reason: "\(error)")
    }
}
