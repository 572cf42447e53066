import NIOCore
import NIOPosix

/// Sends commands to the node that holds their keys: one server, or the right node of a cluster.
public protocol RedisClient: Sendable {
    /// Sends `commands` back to back to the node serving `routingKey`'s slot and returns their replies in
    /// order. Every command must touch only keys of that slot. Error replies are returned, not thrown;
    /// failures to reach the server are thrown as ``RedisError``.
    func send(_ commands: [RedisCommand], routingKey: [UInt8]) async throws -> [RESPValue]

    /// Whether ``send(_:routingKey:within:)`` keeps its deadline.
    var keepsCallerDeadlines: Bool { get }

    /// Like ``send(_:routingKey:)``, but fails with a ``RedisError/Code/timeout`` error once `deadline`
    /// (from now) passes, when ``keepsCallerDeadlines``; otherwise the deadline is not kept.
    func send(_ commands: [RedisCommand], routingKey: [UInt8], within deadline: Duration) async throws -> [RESPValue]

    /// Closes every connection; later commands throw.
    func shutdown()
}

extension RedisClient {
    public var keepsCallerDeadlines: Bool { false }

    public func send(_ commands: [RedisCommand], routingKey: [UInt8], within deadline: Duration) async throws -> [RESPValue] {
        try await send(commands, routingKey: routingKey)
    }

    /// Sends one command routed by `routingKey` and returns its reply.
    public func send(_ command: RedisCommand, routingKey: [UInt8]) async throws -> RESPValue {
        try await send([command], routingKey: routingKey)[0]
    }

    /// Sends one command routed by its first key argument and returns its reply, throwing error replies.
    /// With `deadline`, gives up as ``send(_:routingKey:within:)`` does.
    @discardableResult
    public func execute(_ name: String, key: String, _ arguments: [RedisArgument] = [], within deadline: Duration? = nil) async throws -> RESPValue {
        let command = RedisCommand(name, [RedisArgument(key)] + arguments)
        let reply = if let deadline {
            try await send([command], routingKey: Array(key.utf8), within: deadline)[0]
        } else {
            try await send(command, routingKey: Array(key.utf8))
        }
        if case .error(let message) = reply { throw RedisError.serverError(message, command: name.uppercased()) }
        return reply
    }
}

/// The client of one Redis server: a pool of pipelined connections.
public final class RedisStandaloneClient: RedisClient {
    private let pool: RedisConnectionPool

    /// Creates a client; no connection is opened until the first command.
    public init(endpoint: RedisEndpoint, configuration: RedisConfiguration,
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        pool = RedisConnectionPool(
            endpoint: endpoint, settings: RedisConnectionSettings(configuration),
            size: configuration.connectionsPerNode, group: group)
    }

    public func send(_ commands: [RedisCommand], routingKey: [UInt8]) async throws -> [RESPValue] {
        try await pool.send(commands)
    }

    /// Waiting for a connection to open and for the replies both end at the deadline.
    public var keepsCallerDeadlines: Bool { true }

    public func send(_ commands: [RedisCommand], routingKey: [UInt8], within deadline: Duration) async throws -> [RESPValue] {
        try await pool.send(commands, within: deadline)
    }

    public func shutdown() { pool.shutdown() }
}
