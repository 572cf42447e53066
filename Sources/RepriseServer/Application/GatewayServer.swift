import Hummingbird
import Logging
import Metrics
import Prometheus
import Reprise
import RepriseGateway
import RepriseSemantic

/// What `reprise serve` runs, made from settings alone: the one place that turns a ``GatewayConfiguration``
/// into the store (with its wrappers and services), the embedder, the providers' upstream clients and the
/// HTTP server over them. `reprise serve` loads the settings and calls ``run(configuration:logger:onServerRunning:)``;
/// a test calls ``make(configuration:clock:registry:logger:onServerRunning:)`` with a settings value and
/// gets the same gateway.
public enum GatewayServer {
    /// The gateway `configuration` describes, ready to run.
    /// - Throws: ``Reprise/ConfigurationError`` or ``Reprise/CacheStoreError`` naming what cannot be used.
    public static func make<C: EpochClock>(
        configuration: GatewayConfiguration, clock: C, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        // The embedder first: a remote one is asked for its dimension, and a model that cannot load stops the
        // start before any store connection is opened.
        let embedder = configuration.semantic.isEnabled ? try await SemanticEmbedderFactory.make(configuration.semantic) : nil
        if configuration.namespaceSecret == nil, configuration.store.isShared, !configuration.sharesNamespaceAcrossCredentials {
            logger.warning(
                "A shared store is used with a server secret from this machine's state directory; replicas share entries only if they share the secret: set REPRISE_SECRET (or namespace.secret) to the same value on every replica",
                metadata: ["Reprise.state_directory": "\(configuration.stateDirectory)"])
        }
        let store = try await CacheStoreFactory.makeStore(
            configuration: configuration, clock: clock, metricsFactory: PrometheusMetricsFactory(registry: registry), logger: logger)
        return try buildApplication(
            configuration: configuration, store: store.store, storeServices: store.services, clock: clock, registry: registry,
            logger: logger, embedder: embedder, onServerRunning: onServerRunning)
    }

    /// Runs the gateway `configuration` describes until SIGTERM or SIGINT, then stops it within
    /// ``GatewayConfiguration/shutdownGrace`` (see ``GracefulShutdown``).
    public static func run(
        configuration: GatewayConfiguration, logger: Logger, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let gateway = try await make(configuration: configuration, clock: SystemEpochClock(), logger: logger, onServerRunning: onServerRunning)
        try await GracefulShutdown.run(gateway, grace: configuration.shutdownGrace, logger: logger)
    }
}
