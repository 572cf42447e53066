import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Reprise
import Synchronization

/// One connection to one Redis node, over which any number of commands are in flight at once.
///
/// Replies are matched to commands in order by ``RedisCommandHandler``. A command that misses its
/// deadline closes the connection, because a late reply would otherwise answer the next command.
final class RedisConnection: Sendable {
    let endpoint: RedisEndpoint
    private let channel: any Channel
    private let commandTimeout: Duration
    /// Set the moment a deadline gives up on the connection, before its channel has finished closing, so
    /// the pool never hands it out again.
    private let abandonment: Abandonment
    /// Whether a flush is already queued on the channel's loop (touched on that loop only): commands written
    /// before it runs go out in the same write, so concurrent requests share one system call (and one
    /// wake-up of the server).
    private let flushQueued = Atomic<Bool>(false)

    private init(endpoint: RedisEndpoint, channel: any Channel, commandTimeout: Duration, abandonment: Abandonment) {
        self.endpoint = endpoint
        self.abandonment = abandonment
        self.channel = channel
        self.commandTimeout = commandTimeout
    }

    /// Whether the connection can still carry commands.
    var isActive: Bool { channel.isActive && !abandonment.isAbandoned }

    /// Connects, then authenticates and selects the database as `settings` say.
    ///
    /// A future, not an async function, so that one attempt can be shared by every command waiting for it
    /// without a task to run it: the pool waits on the future, and the attempt ends by itself within the
    /// connect timeout (the bootstrap's for the connect, the handshake's own for `AUTH`, `SELECT` and `PING`).
    static func connect(
        to endpoint: RedisEndpoint, settings: RedisConnectionSettings, on loop: any EventLoop
    ) -> EventLoopFuture<RedisConnection> {
        let sslContext: NIOSSLContext?
        do {
            sslContext = try settings.tls.map(makeSSLContext)
        } catch {
            return loop.makeFailedFuture(error)
        }
        let address = endpoint.description
        let abandonment = Abandonment()
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(.nanoseconds(Int64(settings.connectTimeout.nanoseconds)))
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture(withResultOf: {
                    if let sslContext {
                        let hostname = IPAddressLiteral.isAddress(host: endpoint.host) ? nil : endpoint.host
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: sslContext, serverHostname: hostname))
                    }
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(RESPDecoder()),
                        MessageToByteHandler(RESPCommandEncoder()),
                        RedisCommandHandler(address: address, onAbandon: abandonment.abandon),
                    ])
                })
            }
        return bootstrap.connect(host: endpoint.host, port: endpoint.port)
            .flatMapErrorThrowing { error in
                throw RedisError(code: .connectionFailed, message: "Cannot connect to Redis at \(address): \(error). Check that the server runs and the URL's host and port are right.")
            }
            .flatMap { channel in
                let connection = RedisConnection(endpoint: endpoint, channel: channel, commandTimeout: settings.connectTimeout, abandonment: abandonment)
                return connection.prepare(settings)
                    .flatMapErrorThrowing { error in
                        connection.close()
                        if let error = error as? RedisError, error.code == .connectionClosed || error.code == .timeout {
                            throw RedisError(code: .connectionFailed, message: "Cannot open a connection to Redis at \(address): \(error.message)\(settings.tls == nil ? "" : " If the TLS handshake failed, check tls_ca and that the certificate names the host in the URL.")")
                        }
                        throw error
                    }
                    .map { RedisConnection(endpoint: endpoint, channel: channel, commandTimeout: settings.commandTimeout, abandonment: abandonment) }
            }
    }

    /// Sends `AUTH`, `SELECT` and a `PING` as one pipelined batch, within the connect deadline; the `PING`
    /// makes a failed TLS handshake or a server that is not Redis show at connect time.
    private func prepare(_ settings: RedisConnectionSettings) -> EventLoopFuture<Void> {
        var commands: [RedisCommand] = []
        if let password = settings.password {
            let credentials: [RedisArgument] = settings.username.map { [RedisArgument($0), RedisArgument(password)] }
                ?? [RedisArgument(password)]
            commands.append(RedisCommand("AUTH", credentials))
        }
        if settings.database != 0 { commands.append(RedisCommand("SELECT", [RedisArgument(settings.database)])) }
        commands.append(RedisCommand("PING"))
        let endpoint = self.endpoint
        return submit(commands).flatMapThrowing { [commands] replies in
            for (command, reply) in zip(commands, replies) {
                guard case .error(let message) = reply else { continue }
                switch command.name {
                case "AUTH":
                    throw RedisError(code: .authenticationFailed, message: "Redis at \(endpoint) refused the credentials\(settings.username.map { " of user '\($0)'" } ?? ""): \(message). Check the user name and password in the Redis URL.")
                case "SELECT":
                    throw RedisError(code: .serverError, message: "Redis at \(endpoint) refused SELECT \(settings.database): \(message). Check the database number in the Redis URL.")
                default:
                    throw RedisError(code: .serverError, message: "Redis at \(endpoint) refused PING: \(message).")
                }
            }
        }
    }

    /// Sends one command and waits for its reply; an error reply is returned, not thrown.
    func send(_ command: RedisCommand) async throws -> RESPValue {
        try await send([command])[0]
    }

    /// Writes `commands` back to back and waits for all their replies, in order, within the command timeout.
    func send(_ commands: [RedisCommand]) async throws -> [RESPValue] {
        try await submit(commands).get()
    }

    /// Like ``send(_:)``, as a future: for work no task waits on (the handshake, the cluster's slot-map reload).
    func submit(_ commands: [RedisCommand]) -> EventLoopFuture<[RESPValue]> {
        submit(RedisRequest(commands: commands, timeout: commandTimeout, promise: channel.eventLoop.makePromise()))
    }

    /// Like ``send(_:)``, but the caller stops waiting at `answerBy` (`deadline` after it started) with a
    /// timeout error; the connection stays open and drops the late replies when they come.
    func send(_ commands: [RedisCommand], answerBy: NIODeadline, deadline: Duration) async throws -> [RESPValue] {
        try await submit(RedisRequest(
            commands: commands, timeout: commandTimeout, answerBy: answerBy, callerDeadline: deadline,
            promise: channel.eventLoop.makePromise())).get()
    }

    private func submit(_ request: RedisRequest) -> EventLoopFuture<[RESPValue]> {
        if channel.eventLoop.inEventLoop {
            writeSoon(request)
        } else {
            channel.eventLoop.execute { [self] in writeSoon(request) }
        }
        return request.promise.futureResult
    }

    /// Writes `request` now and flushes at the end of the loop's current batch of work, so that the commands
    /// of concurrent requests leave in one system call. Runs on the channel's loop only: a write made from
    /// another thread reaches the pipeline later, and could miss a flush decided on before it.
    ///
    /// On the loop, a channel that is still active has its handlers, so the request joins the handler's
    /// queue and fails with it when the connection closes; a closed one fails the request at once.
    private func writeSoon(_ request: RedisRequest) {
        channel.eventLoop.preconditionInEventLoop()
        guard channel.isActive else {
            request.promise.fail(RedisError.connectionClosed(endpoint.description))
            return
        }
        channel.write(request, promise: nil)
        guard !flushQueued.exchange(true, ordering: .relaxed) else { return }
        channel.eventLoop.execute { [self] in
            flushQueued.store(false, ordering: .relaxed)
            channel.flush()
        }
    }

    /// Closes the connection; commands still in flight fail.
    func close() {
        channel.close(promise: nil)
    }

    private static func makeSSLContext(_ tls: RedisTLS) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !tls.verifiesCertificates { configuration.certificateVerification = .none }
        if let file = tls.certificateAuthorityFile { configuration.trustRoots = .file(file) }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw RedisError(code: .connectionFailed, message: "Cannot set up TLS for Redis: \(error). Check the tls_ca file.")
        }
    }
}

/// Set by the command handler the moment a missed deadline gives up on the connection, before its channel
/// has finished closing, so the pool never hands it out again.
private final class Abandonment: Sendable {
    private let flag = Atomic<Bool>(false)

    var isAbandoned: Bool { flag.load(ordering: .acquiring) }

    @Sendable func abandon() { flag.store(true, ordering: .releasing) }
}

/// What every connection of a client is opened with.
struct RedisConnectionSettings: Sendable {
    var username: String?
    var password: String?
    var database: Int
    var tls: RedisTLS?
    var connectTimeout: Duration
    var commandTimeout: Duration

    init(_ configuration: RedisConfiguration) {
        username = configuration.username
        password = configuration.password
        database = configuration.database
        tls = configuration.tls
        connectTimeout = configuration.connectTimeout
        commandTimeout = configuration.commandTimeout
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).overflow
            ? .max : seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
