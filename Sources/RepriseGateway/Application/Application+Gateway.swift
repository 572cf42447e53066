import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import Prometheus
import Reprise
import RepriseSemantic
import RepriseProviders
import ServiceLifecycle

/// Builds the gateway application that `reprise serve` runs and tests start in-process.
///
/// - Parameters:
///   - configuration: the loaded configuration.
///   - store: where entries live; `nil` uses the in-memory store bounded by
///     ``GatewayConfiguration/memoryStoreCapacityBytes``. The composition root (`GatewayServer` in
///     `RepriseServer`) makes the store ``GatewayConfiguration/store`` names.
///   - storeServices: services the store needs run alongside the server (sweeps, closing on shutdown).
///   - clock: the wall clock for entry ages and expiry.
///   - registry: where metrics are registered; `/metrics` prints it.
///   - logger: the gateway's logger.
///   - embedder: the embedder for semantic matching, which ``SemanticSettings/isEnabled`` needs (the
///     composition root loads the one the settings name).
///   - verificationSampling: decides which semantic hits are verified; at random by default.
///   - onServerRunning: called with the bound port once the server listens (useful with port 0).
/// - Throws: ``ConfigurationError`` when the state directory or request log cannot be used, or semantic
///   matching is on without an embedder.
public func buildApplication<C: EpochClock>(
    configuration: GatewayConfiguration, store: (any CacheStore)? = nil, storeServices: [any Service] = [], clock: C,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), logger: Logger = Logger(label: "reprise"),
    embedder: NamedEmbedder? = nil, verificationSampling: VerificationSampling = .random, providers: ProviderRegistry = .builtIn,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    let secret = try configuration.namespaceSecret ?? ServerSecret.loadOrCreate(in: configuration.stateDirectory)
    if configuration.semantic.isEnabled, embedder == nil {
        throw ConfigurationError.invalidValue(
            "semantic.enabled", in: "the configuration",
            reason: "is true but the gateway was given no embedder; build it with GatewayServer.make, which loads the one the settings name")
    }
    let semanticEmbedder = configuration.semantic.isEnabled ? embedder : nil
    if !configuration.semantic.isEnabled, configuration.policyAsksForSemantic {
        logger.warning(
            "Semantic matching is off (semantic.enabled is false), so the rules and default that ask for it match exactly only; enable it with --semantic or semantic.enabled: true")
    }
    // Everything that can throw comes before the upstream client: a client dropped without being shut
    // down stops the process, which would hide the configuration error behind a crash.
    var requestLogService: RequestLogService?
    if let path = configuration.requestLogPath {
        let service = RequestLogService(
            path: path, maximumBytes: configuration.requestLogMaximumBytes, maximumFiles: configuration.requestLogMaximumFiles,
            logger: logger)
        _ = try service.openFile()
        requestLogService = service
    }
    let upstreams = try makeUpstreamTable(configuration: configuration, providers: providers)
    let background = BackgroundWork()
    var services: [any Service] = upstreams.upstreams.map { UpstreamClientService(client: $0.client) } + storeServices
    // After the clients and stores in the list, so shut down before them: it waits for the work that uses them.
    services.append(BackgroundWorkService(work: background))
    let cacheStore: any CacheStore
    if let store {
        cacheStore = store
    } else {
        let memory = MemoryCacheStore(capacityBytes: configuration.memoryStoreCapacityBytes, clock: clock)
        services.append(ExpirySweepService(store: memory, interval: configuration.expirySweepInterval, clock: clock, logger: logger))
        cacheStore = memory
    }
    var requestLogger = RequestLogger.disabled
    if let service = requestLogService {
        requestLogger = service.requestLogger
        services.append(service)
    }
    let state = GatewayState(
        configuration: configuration, store: cacheStore, clock: clock, providers: providers, upstreams: upstreams,
        namespaces: NamespaceResolver(secret: secret, sharesAcrossCredentials: configuration.sharesNamespaceAcrossCredentials),
        registry: registry, requestLogger: requestLogger, logger: logger, embedder: semanticEmbedder, verificationSampling: verificationSampling,
        background: background)
    let limits = ConnectionLimits(
        headTimeout: configuration.headReadTimeout, bodyTimeout: configuration.bodyReadTimeout, idleTimeout: configuration.idleTimeout,
        maximumConnections: configuration.maximumConnections)
    let connections = ConnectionRegistry(maximum: limits.maximumConnections)
    let connectionMetrics = ConnectionMetrics(factory: PrometheusMetricsFactory(registry: registry))
    let headCheck = GatewayResponder.headCheck(maximumBodyBytes: configuration.maximumBodyBytes, providers: providers)
    return Application(
        responder: GatewayResponder(state: state),
        server: HTTPServerBuilder { responder in
            GatewayHTTP1Channel(responder: responder, limits: limits, registry: connections, metrics: connectionMetrics, check: headCheck)
        },
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "reprise"),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

/// Builds the gateway on the system clock.
public func buildApplication(
    configuration: GatewayConfiguration, store: (any CacheStore)? = nil, logger: Logger = Logger(label: "reprise"),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) throws -> some ApplicationProtocol {
    try buildApplication(configuration: configuration, store: store, clock: SystemEpochClock(), logger: logger, onServerRunning: onServerRunning)
}

/// One client per configured upstream; on a bad URL, those already made are shut down before the error
/// goes on (a client dropped without being shut down stops the process).
func makeUpstreamTable(configuration: GatewayConfiguration, providers: ProviderRegistry) throws -> UpstreamTable {
    var made: [Upstream] = []
    do {
        for settings in configuration.effectiveUpstreams(providers: providers) {
            let client = try UpstreamClient(
                baseURL: settings.url, timeout: configuration.upstreamTimeout, connectTimeout: configuration.upstreamConnectTimeout,
                maximumResponseBytes: configuration.maximumResponseBytes)
            made.append(Upstream(settings: settings, client: client))
        }
    } catch {
        UpstreamTable(upstreams: made).shutdownAfterFailedStart()
        throw error
    }
    return UpstreamTable(upstreams: made)
}

/// The routing table `reprise serve` prints at start: each upstream, its provider, URL and models.
public func upstreamRoutingTable(configuration: GatewayConfiguration, providers: ProviderRegistry = .builtIn) -> String {
    let rows = [["upstream", "provider", "url", "models"]]
        + configuration.effectiveUpstreams(providers: providers).map {
            [$0.name, $0.provider, $0.url, $0.isFallback ? "(every model no other entry takes)" : $0.models.joined(separator: ", ")]
        }
    let widths = (0..<3).map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { column, text in column == 3 ? text : text.padding(toLength: widths[column], withPad: " ", startingAt: 0) }
            .joined(separator: "  ")
    }.joined(separator: "\n")
}
