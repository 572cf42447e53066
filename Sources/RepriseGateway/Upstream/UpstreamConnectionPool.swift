import NIOCore
import NIOSSL
import Synchronization

/// Keep-alive connections to one upstream, kept per event loop.
///
/// A request leases a connection on its own loop — the most recently used idle one, else a new one — so
/// that the request, the upstream's answer and the code that waits for it never cross threads. Each loop
/// has at most `maximumPerLoop` connections open; a request beyond that waits (within its deadline) for
/// one to be released. Idle connections are closed after `idleTimeout`, and dropped as soon as the pool
/// notices the upstream closed them.
final class UpstreamConnectionPool: Sendable {
    /// A connection lent to one request.
    struct Lease: Sendable {
        var connection: UpstreamConnection
        /// Whether the connection carried an earlier request.
        var reused: Bool
    }

    fileprivate enum Grant: Sendable {
        case connection(UpstreamConnection)
        /// Room for one more connection, which the waiter opens itself.
        case slot
    }

    fileprivate struct Waiter {
        var id: UInt64
        var promise: EventLoopPromise<Grant>
    }

    fileprivate struct IdleConnection {
        var connection: UpstreamConnection
        var since: NIODeadline
    }

    fileprivate struct LoopConnections {
        /// Idle connections, the most recently used last.
        var idle: [IdleConnection] = []
        /// Connections open or opening, idle ones included.
        var open = 0
        var waiters: [Waiter] = []
        var sweep: RepeatedTask?
    }

    private struct State {
        var loops: [ObjectIdentifier: LoopConnections] = [:]
        /// Numbers waiters, so that a deadline removes its own (not every request waits; gaps are fine).
        var waitersCreated: UInt64 = 0
        var isShutDown = false
    }

    private let endpoint: UpstreamEndpoint
    private let tls: NIOSSLContext?
    private let connectTimeout: TimeAmount
    private let idleTimeout: TimeAmount
    private let maximumPerLoop: Int
    private let state = Mutex(State())

    init(endpoint: UpstreamEndpoint, tls: NIOSSLContext?, connectTimeout: TimeAmount, idleTimeout: TimeAmount, maximumPerLoop: Int) {
        self.endpoint = endpoint
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.idleTimeout = idleTimeout
        self.maximumPerLoop = max(1, maximumPerLoop)
    }

    fileprivate enum Step {
        case reuse(UpstreamConnection)
        case connect
        case wait(EventLoopPromise<Grant>, id: UInt64)
        case shutDown
    }

    /// A connection for one request, on `loop` unless `anyLoopsIdle` allows an idle one of another loop;
    /// it comes back through the connection's end-of-exchange report.
    /// - Parameter anyLoopsIdle: the caller runs on no event loop, so no loop is better than another: an
    ///   idle connection anywhere beats opening one.
    func lease(on loop: any EventLoop, anyLoopsIdle: Bool, deadline: NIODeadline) async throws(UpstreamConnectionError) -> Lease {
        let step = state.withLock { state -> Step in
            guard !state.isShutDown else { return .shutDown }
            let key = ObjectIdentifier(loop)
            if anyLoopsIdle, state.loops[key]?.idle.isEmpty ?? true,
                let other = state.loops.first(where: { !$0.value.idle.isEmpty })?.key,
                let connection = state.loops[other]!.takeIdle()
            {
                return .reuse(connection)
            }
            if state.loops[key] == nil {
                state.loops[key] = LoopConnections(sweep: scheduleSweep(on: loop))
            }
            state.waitersCreated += 1
            return state.loops[key]!.nextStep(maximum: maximumPerLoop, loop: loop, waiterID: state.waitersCreated)
        }
        switch step {
        case .reuse(let connection):
            return Lease(connection: connection, reused: true)
        case .connect:
            return try await connect(on: loop)
        case .shutDown:
            throw .shutDown
        case .wait(let promise, let id):
            let timeout = loop.scheduleTask(deadline: deadline) { [weak self] in self?.expireWaiter(id, on: loop) }
            defer { timeout.cancel() }
            let grant: Grant
            do {
                grant = try await promise.futureResult.get()
            } catch {
                throw error as? UpstreamConnectionError ?? .abandoned
            }
            switch grant {
            case .connection(let connection): return Lease(connection: connection, reused: true)
            case .slot: return try await connect(on: loop)
            }
        }
    }

    private func connect(on loop: any EventLoop) async throws(UpstreamConnectionError) -> Lease {
        do {
            let connection = try await UpstreamConnection.connect(
                to: endpoint, tls: tls, on: loop, connectTimeout: connectTimeout,
                onExchangeEnd: { [weak self] connection, reusable in
                    guard let self else { return connection.close() }
                    release(connection, reusable: reusable)
                })
            return Lease(connection: connection, reused: false)
        } catch {
            freeSlot(on: loop)
            throw error
        }
    }

    /// Takes a connection back after a request: to the first waiter, idle for the next request, or gone.
    private func release(_ connection: UpstreamConnection, reusable: Bool) {
        enum Outcome { case kept, handOver(Waiter), close }
        let key = ObjectIdentifier(connection.eventLoop)
        let outcome = state.withLock { state -> Outcome in
            guard reusable, !state.isShutDown, connection.isActive, state.loops[key] != nil else { return .close }
            if state.loops[key]!.waiters.isEmpty {
                state.loops[key]!.idle.append(IdleConnection(connection: connection, since: .now()))
                return .kept
            }
            return .handOver(state.loops[key]!.waiters.removeFirst())
        }
        switch outcome {
        case .kept:
            break
        case .handOver(let waiter):
            waiter.promise.succeed(.connection(connection))
        case .close:
            connection.close()
            freeSlot(on: connection.eventLoop)
        }
    }

    /// One connection fewer on `loop`: a waiter may open one instead.
    private func freeSlot(on loop: any EventLoop) {
        let key = ObjectIdentifier(loop)
        let waiter = state.withLock { state -> Waiter? in
            guard state.loops[key] != nil else { return nil }
            if !state.isShutDown, !state.loops[key]!.waiters.isEmpty {
                return state.loops[key]!.waiters.removeFirst()
            }
            state.loops[key]!.open -= 1
            return nil
        }
        waiter?.promise.succeed(.slot)
    }

    private func expireWaiter(_ id: UInt64, on loop: any EventLoop) {
        let key = ObjectIdentifier(loop)
        let expired = state.withLock { state -> Waiter? in
            guard let index = state.loops[key]?.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.loops[key]!.waiters.remove(at: index)
        }
        expired?.promise.fail(UpstreamConnectionError.timedOut)
    }

    private func scheduleSweep(on loop: any EventLoop) -> RepeatedTask {
        let interval: TimeAmount = max(.nanoseconds(idleTimeout.nanoseconds / 2), .milliseconds(10))
        return loop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { [weak self] _ in
            self?.closeIdle(on: loop)
        }
    }

    /// Closes `loop`'s connections idle for longer than the idle timeout, or closed by the upstream.
    private func closeIdle(on loop: any EventLoop) {
        let key = ObjectIdentifier(loop)
        let oldest = NIODeadline.now() - idleTimeout
        let expired = state.withLock { state -> [UpstreamConnection] in
            guard let idle = state.loops[key]?.idle, !idle.isEmpty else { return [] }
            var keep: [IdleConnection] = [], expired: [UpstreamConnection] = []
            for entry in idle {
                if entry.since > oldest && entry.connection.isActive { keep.append(entry) } else { expired.append(entry.connection) }
            }
            guard !expired.isEmpty else { return [] }
            state.loops[key]!.idle = keep
            state.loops[key]!.open -= expired.count
            return expired
        }
        for connection in expired { connection.close() }
    }

    /// Closes every idle connection and fails every waiter; connections in use close when their request
    /// ends.
    func shutdown() {
        let (idle, waiters, sweeps) = state.withLock { state -> ([UpstreamConnection], [Waiter], [RepeatedTask]) in
            state.isShutDown = true
            defer { state.loops = [:] }
            return (
                state.loops.values.flatMap { $0.idle.map(\.connection) }, state.loops.values.flatMap(\.waiters),
                state.loops.values.compactMap(\.sweep)
            )
        }
        for sweep in sweeps { sweep.cancel() }
        for connection in idle { connection.close() }
        for waiter in waiters { waiter.promise.fail(UpstreamConnectionError.shutDown) }
    }
}

extension UpstreamConnectionPool.LoopConnections {
    /// What a new request does: reuse the most recent live idle connection, open one while below
    /// `maximum`, or queue.
    fileprivate mutating func nextStep(maximum: Int, loop: any EventLoop, waiterID: UInt64) -> UpstreamConnectionPool.Step {
        if let connection = takeIdle() { return .reuse(connection) }
        if open < maximum {
            open += 1
            return .connect
        }
        let promise = loop.makePromise(of: UpstreamConnectionPool.Grant.self)
        waiters.append(UpstreamConnectionPool.Waiter(id: waiterID, promise: promise))
        return .wait(promise, id: waiterID)
    }

    /// The most recently used idle connection still open; those the upstream closed are dropped.
    fileprivate mutating func takeIdle() -> UpstreamConnection? {
        while let last = idle.popLast() {
            if last.connection.isActive { return last.connection }
            // Already closed by the upstream: nothing to close, one slot fewer.
            open -= 1
        }
        return nil
    }
}
