import AsyncHTTPClient
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Reprise
import RepriseGateway

/// `reprise demo`: a simulated provider (``DemoProvider``) and a gateway on loopback, a realistic burst of traffic through them,
/// and what the cache did with it. Needs no network and no API key.
public struct DemoRunner: Sendable {
    /// What to send and how the fake provider behaves.
    public struct Options: Sendable {
        public var traffic = DemoTraffic()
        /// The model named in requests, whose prices the savings are counted at.
        public var model = "gpt-4o"
        /// The fake provider's fastest answer; each adds a random share of ``latencySpread``.
        public var latency: Duration = .milliseconds(300)
        public var latencySpread: Duration = .milliseconds(1200)
        /// Waves in flight at once.
        public var concurrency = 8

        public init() {}
    }

    public let options: Options

    public init(options: Options = Options()) {
        self.options = options
    }

    /// Runs the demo; `progress` is called with the requests finished so far.
    public func run(progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> DemoReport {
        let upstream = DemoProvider(latency: options.latency, latencySpread: options.latencySpread, chunkInterval: .milliseconds(15))
        let quiet = Logger(label: "reprise.demo", factory: { _ in SwiftLogNoOpLogHandler() })
        return try await upstream.withRunning(logger: quiet) { upstreamURL in
            var configuration = GatewayConfiguration()
            configuration.port = 0
            configuration.upstreamURL = upstreamURL
            configuration.namespaceSecret = (0..<32).map { _ in UInt8.random(in: 0...255) }
            let adminToken = "demo-\(UInt64.random(in: 0...UInt64.max))"
            configuration.adminToken = adminToken
            let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
            let gateway = try buildApplication(configuration: configuration, logger: quiet) { port in portContinuation.yield(port) }
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await gateway.run() }
                defer { group.cancelAll() }
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next() else { throw CancellationError() }
                let client = DemoClient(baseURL: "http://127.0.0.1:\(port)", model: options.model, adminToken: adminToken)
                let outcomes: [DemoOutcome]
                let statistics: JSONValue
                do {
                    outcomes = try await send(options.traffic, with: client, progress: progress)
                    statistics = try await client.statistics()
                } catch {
                    await client.shutdown()
                    throw error
                }
                await client.shutdown()
                return DemoReport(
                    options: options, outcomes: outcomes, upstreamCalls: upstream.callCount,
                    statistics: statistics)
            }
        }
    }

    private func send(_ traffic: DemoTraffic, with client: DemoClient, progress: @escaping @Sendable (Int) -> Void) async throws -> [DemoOutcome] {
        try await withThrowingTaskGroup(of: [DemoOutcome].self) { group in
            var outcomes: [DemoOutcome] = []
            var waves = traffic.waves.makeIterator()
            func addWave() -> Bool {
                guard let wave = waves.next() else { return false }
                group.addTask {
                    try await withThrowingTaskGroup(of: DemoOutcome.self) { burst in
                        for request in wave.requests { burst.addTask { try await client.send(request) } }
                        return try await burst.reduce(into: []) { $0.append($1) }
                    }
                }
                return true
            }
            for _ in 0..<options.concurrency where !addWave() { break }
            while let finished = try await group.next() {
                outcomes += finished
                progress(outcomes.count)
                _ = addWave()
            }
            return outcomes
        }
    }
}
