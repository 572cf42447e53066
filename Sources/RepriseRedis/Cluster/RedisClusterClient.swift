import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The client of a Redis Cluster: routes each command to the primary serving its key's slot.
///
/// The slot map is loaded from `CLUSTER SHARDS` (falling back to `CLUSTER SLOTS` on servers without
/// it) on first use from any seed or known node. A `MOVED` reply updates the map for that slot, triggers
/// a full reload and retries on the named node; an `ASK` reply retries once on the named node with
/// `ASKING` sent first on the same connection, without changing the map (the slot is migrating). A node
/// that cannot be reached triggers a reload and one retry, since the slot may have failed over. Each
/// node has its own ``RedisConnectionPool``.
///
/// One reload runs at a time, shared by every command that meets a redirect meanwhile. It is a future that
/// those commands may wait on, not a task: none of them owns it, and it ends by itself, each node being asked
/// once within the command timeout (and at once when the client is shut down, its pools refusing commands).
public final class RedisClusterClient: RedisClient {
    /// Redirects followed for one command before giving up.
    static let maximumRedirects = 5

    private struct State {
        var map = RedisClusterSlotMap()
        var pools: [RedisEndpoint: RedisConnectionPool] = [:]
        /// The reload under way.
        var refresh: EventLoopFuture<Void>?
        var isShutDown = false
    }

    private let configuration: RedisConfiguration
    private let seeds: [RedisEndpoint]
    private let group: any EventLoopGroup
    private let logger: Logger
    private let state: Mutex<State>

    /// Creates a client; the slot map is loaded by the first command.
    public convenience init(configuration: RedisConfiguration, logger: Logger = Logger(label: "reprise.redis"),
                            group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.init(configuration: configuration, initialMap: RedisClusterSlotMap(), logger: logger, group: group)
    }

    /// Creates a client that starts from `initialMap` (tests start from a wrong one to exercise `MOVED`).
    init(configuration: RedisConfiguration, initialMap: RedisClusterSlotMap, logger: Logger, group: any EventLoopGroup) {
        self.configuration = configuration
        self.seeds = switch configuration.topology {
        case .cluster(let seeds): seeds
        case .standalone(let endpoint): [endpoint]
        }
        self.group = group
        self.logger = logger
        self.state = Mutex(State(map: initialMap))
    }

    public func send(_ commands: [RedisCommand], routingKey: [UInt8]) async throws -> [RESPValue] {
        let slot = RedisHashSlot.slot(for: routingKey)
        var asking: RedisEndpoint?
        var reloadedAfterFailure = false
        for _ in 0...Self.maximumRedirects {
            let endpoint: RedisEndpoint
            if let asking {
                endpoint = asking
            } else {
                endpoint = try await primary(for: slot)
            }
            let replies: [RESPValue]
            do {
                replies = try await sendOnce(commands, to: endpoint, asking: asking != nil)
            } catch let error as RedisError where error.code == .connectionFailed || error.code == .connectionClosed {
                // The node may have failed over or left: reload the map, and retry a command that was
                // certainly not sent.
                guard !reloadedAfterFailure else { throw error }
                reloadedAfterFailure = true
                try? await reloadMap(force: true)
                guard error.code == .connectionFailed else { throw error }
                asking = nil
                continue
            }
            switch Self.redirect(in: replies, from: endpoint) {
            case nil:
                return replies
            case .moved(let movedSlot, let target)?:
                logger.debug("Redis slot moved", metadata: ["Reprise.redis.slot": "\(movedSlot)", "Reprise.redis.node": "\(target)"])
                state.withLock { $0.map.assign(movedSlot...movedSlot, to: target) }
                scheduleReload()
                asking = nil
            case .ask(_, let target)?:
                asking = target
            }
        }
        throw RedisError(code: .tooManyRedirects, message: "A command for slot \(slot) was redirected more than \(Self.maximumRedirects) times; the cluster is resharding or its nodes disagree. Retry later.")
    }

    public func shutdown() {
        let pools = state.withLock { state in
            state.isShutDown = true
            return Array(state.pools.values)
        }
        for pool in pools { pool.shutdown() }
    }

    private func sendOnce(_ commands: [RedisCommand], to endpoint: RedisEndpoint, asking: Bool) async throws -> [RESPValue] {
        let pool = try pool(for: endpoint)
        guard asking else { return try await pool.send(commands) }
        let replies = try await pool.send([RedisCommand("ASKING")] + commands)
        return Array(replies.dropFirst())
    }

    private func primary(for slot: Int) async throws -> RedisEndpoint {
        if let endpoint = state.withLock({ $0.map.endpoint(for: slot) }) { return endpoint }
        try await reloadMap(force: false)
        if let endpoint = state.withLock({ $0.map.endpoint(for: slot) }) { return endpoint }
        throw RedisError(code: .clusterUnavailable, message: "No node of the Redis Cluster serves slot \(slot); check `redis-cli cluster info` (cluster_state should be ok).")
    }

    /// The primary the current map names for `slot`, without loading the map.
    func primary(cached slot: Int) -> RedisEndpoint? {
        state.withLock { $0.map.endpoint(for: slot) }
    }

    func pool(for endpoint: RedisEndpoint) throws -> RedisConnectionPool {
        try state.withLock { state in
            guard !state.isShutDown else { throw RedisError.shutDown }
            if let pool = state.pools[endpoint] { return pool }
            let pool = RedisConnectionPool(
                endpoint: endpoint, settings: RedisConnectionSettings(configuration),
                size: configuration.connectionsPerNode, group: group)
            state.pools[endpoint] = pool
            return pool
        }
    }
}

extension RedisClusterClient {
    enum Redirect: Hashable {
        case moved(slot: Int, RedisEndpoint)
        case ask(slot: Int, RedisEndpoint)
    }

    /// The first `MOVED` or `ASK` among `replies`; all commands of a batch share a slot, so one decides.
    static func redirect(in replies: [RESPValue], from node: RedisEndpoint) -> Redirect? {
        for reply in replies {
            guard case .error(let message) = reply else { continue }
            let parts = message.split(separator: " ")
            guard parts.count == 3, parts[0] == "MOVED" || parts[0] == "ASK", let slot = Int(parts[1]),
                (0..<RedisHashSlot.count).contains(slot), let colon = parts[2].lastIndex(of: ":"),
                let port = Int(parts[2][parts[2].index(after: colon)...])
            else { continue }
            var host = String(parts[2][..<colon])
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            // An empty host means "the host you are talking to" (nodes that announce no address).
            let target = RedisEndpoint(host: host.isEmpty ? node.host : host, port: port)
            return parts[0] == "MOVED" ? .moved(slot: slot, target) : .ask(slot: slot, target)
        }
        return nil
    }

    /// Reloads the slot map, joining a reload already under way. Without `force`, a map that already
    /// covers every slot is kept.
    func reloadMap(force: Bool) async throws {
        let claim = state.withLock { state -> (reload: EventLoopFuture<Void>?, starts: EventLoopPromise<Void>?) in
            if let running = state.refresh { return (running, nil) }
            guard force || !state.map.coversEverySlot else { return (nil, nil) }
            let reload = claimReload(&state)
            return (reload.futureResult, reload)
        }
        if let reload = claim.starts { load(reload) }
        try await claim.reload?.get()
    }

    /// Starts a reload in the background after a redirect; the redirected command does not wait for it.
    private func scheduleReload() {
        let reload = state.withLock { state -> EventLoopPromise<Void>? in
            guard state.refresh == nil, !state.isShutDown else { return nil }
            return claimReload(&state)
        }
        guard let reload else { return }
        logger.debug("Reloading the Redis Cluster slot map after a redirect")
        load(reload)
    }

    /// Makes a new reload the one in flight; the caller starts it with ``load(_:)`` once out of the lock.
    private func claimReload(_ state: inout State) -> EventLoopPromise<Void> {
        let reload = group.any().makePromise(of: Void.self)
        state.refresh = reload.futureResult
        return reload
    }

    /// Loads the map and completes `reload` with the outcome, having first cleared it from the state, failed
    /// or not, so that a command resumed by it that meets a redirect starts a new one.
    private func load(_ reload: EventLoopPromise<Void>) {
        let known = state.withLock { $0.map.nodes }
        let loaded = reload.futureResult.eventLoop.makePromise(of: Void.self)
        loadMap(from: (seeds + known.filter { !seeds.contains($0) })[...], failures: [], completing: loaded)
        loaded.futureResult.whenComplete { result in
            self.state.withLock { state in
                if state.refresh == reload.futureResult { state.refresh = nil }
            }
            reload.completeWith(result)
        }
    }

    /// Asks the first of `endpoints` for the map, then the next while none answers with slots assigned.
    private func loadMap(from endpoints: ArraySlice<RedisEndpoint>, failures: [String], completing loaded: EventLoopPromise<Void>) {
        guard let endpoint = endpoints.first else {
            loaded.fail(RedisError(code: .clusterUnavailable, message: "No Redis Cluster node answered with the slot map (\(failures.joined(separator: "; "))). Check the seed addresses in the redis+cluster:// URL."))
            return
        }
        fetchMap(from: endpoint).whenComplete { result in
            switch result {
            case .success(let map) where !map.nodes.isEmpty:
                self.state.withLock { $0.map = map }
                self.logger.debug("Loaded the Redis Cluster slot map", metadata: ["Reprise.redis.nodes": "\(map.nodes.count)"])
                loaded.succeed()
            case .success:
                self.loadMap(from: endpoints.dropFirst(), failures: failures + ["\(endpoint): no slots assigned"], completing: loaded)
            case .failure(let error):
                self.loadMap(from: endpoints.dropFirst(), failures: failures + ["\(endpoint): \(error)"], completing: loaded)
            }
        }
    }

    private func fetchMap(from endpoint: RedisEndpoint) -> EventLoopFuture<RedisClusterSlotMap> {
        let pool: RedisConnectionPool
        do {
            pool = try self.pool(for: endpoint)
        } catch {
            return group.any().makeFailedFuture(error)
        }
        let usesTLS = configuration.tls != nil
        let asked = pool.submit(RedisCommand("CLUSTER", ["SHARDS"]))
        return asked.flatMap { shards in
            guard case .error = shards else {
                return asked.eventLoop.makeCompletedFuture { try RedisClusterSlotMap.fromShards(shards, replyingNode: endpoint, usesTLS: usesTLS) }
            }
            return pool.submit(RedisCommand("CLUSTER", ["SLOTS"])).flatMapThrowing { slots in
                if case .error(let message) = slots { throw RedisError.serverError(message, command: "CLUSTER SLOTS") }
                return try RedisClusterSlotMap.fromSlots(slots, replyingNode: endpoint)
            }
        }
    }
}
