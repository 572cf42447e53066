import HTTPTypes
import Logging
import NIOHTTP1
import Prometheus
import Reprise
import RepriseProviders
import RepriseSemantic

/// What every request handler shares: configuration, store, clients and instruments.
struct GatewayState: Sendable {
    let configuration: GatewayConfiguration
    let store: any CacheStore
    let clock: any EpochClock
    /// The API shapes the gateway speaks.
    let providers: ProviderRegistry
    /// The upstreams, and which one a request goes to.
    let upstreams: UpstreamTable
    let namespaces: NamespaceResolver
    let metrics: GatewayMetrics
    let registry: PrometheusCollectorRegistry
    let statistics: GatewayStatistics
    /// Upstream calls in flight, one per key, shared by concurrent identical requests.
    let flights = FlightTable()
    /// Work that outlives the request that starts it (upstream calls, semantic indexing and verification),
    /// run by ``BackgroundWorkService`` among the gateway's services.
    let background: BackgroundWork
    let requestLogger: RequestLogger
    let logger: Logger
    /// Whether policy rules or the volatility detector read the prompt, so it is extracted only then.
    let policyReadsPrompt: Bool
    /// Whether policy rules read request headers.
    let policyReadsHeaders: Bool
    /// Semantic matching, when configured with an embedder.
    let semantic: SemanticCache?
    /// Shadow verification of semantic hits, when semantic matching is on.
    let verification: SemanticVerification?
    let semanticMetrics: SemanticMetrics

    init(
        configuration: GatewayConfiguration, store: any CacheStore, clock: any EpochClock, providers: ProviderRegistry,
        upstreams: UpstreamTable, namespaces: NamespaceResolver, registry: PrometheusCollectorRegistry, requestLogger: RequestLogger,
        logger: Logger, embedder: NamedEmbedder? = nil, verificationSampling: VerificationSampling = .random,
        background: BackgroundWork
    ) {
        self.background = background
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.providers = providers
        self.upstreams = upstreams
        self.namespaces = namespaces
        self.registry = registry
        self.metrics = GatewayMetrics(
            factory: PrometheusMetricsFactory(registry: registry).configuredForGateway(), routes: Set(providers.routes),
            upstreams: upstreams.upstreams.map(\.name))
        self.statistics = GatewayStatistics(startedAt: clock.now)
        self.requestLogger = requestLogger
        self.logger = logger
        self.policyReadsPrompt = configuration.policy.volatilityDetector != nil || configuration.policy.rules.contains { $0.prompt != nil }
        self.policyReadsHeaders = configuration.policy.rules.contains { $0.headerName != nil }
        let factory = PrometheusMetricsFactory(registry: registry)
        self.semanticMetrics = SemanticMetrics(factory: factory)
        if configuration.semantic.isEnabled, let embedder {
            self.semantic = SemanticCache(
                settings: configuration.semantic, embedder: embedder.embedder, embedderName: embedder.name, store: store, clock: clock,
                background: background,
                keyBuilder: configuration.keyBuilder, metrics: semanticMetrics, logger: logger)
            self.verification = SemanticVerification(settings: configuration.semantic, sampling: verificationSampling)
        } else {
            self.semantic = nil
            self.verification = nil
        }
    }
}

extension GatewayState {
    /// The upstream a cached request goes to, chosen by its provider and model.
    func upstream(for parsed: ParsedRequest) throws(GatewayError) -> Upstream {
        try upstreams.upstream(for: parsed.provider, model: parsed.model)
    }

    /// The path and query a request goes to `upstream` with: as the client sent it, less the provider's
    /// credential parameters (Gemini's `key`) when the gateway sends its own key.
    func upstreamTarget(_ pathAndQuery: String, provider: any Provider, upstream: Upstream) -> String {
        let parameters = provider.credentialQueryParameters
        guard upstream.settings.apiKey != nil, !parameters.isEmpty, let mark = pathAndQuery.firstIndex(of: "?") else { return pathAndQuery }
        let kept = pathAndQuery[pathAndQuery.index(after: mark)...].split(separator: "&").filter { parameter in
            !parameters.contains(String(parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""))
        }
        return String(pathAndQuery[..<mark]) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    }

    /// The headers a request carries to `upstream`, with the gateway's key for it when it holds one.
    func upstreamHeaders(from fields: HTTPFields, provider: any Provider, upstream: Upstream, cachedRoute: Bool) -> HTTPHeaders {
        HeaderForwarding.upstreamHeaders(from: fields, upstreamAPIKey: upstream.settings.apiKey, provider: provider, cachedRoute: cachedRoute)
    }
}

extension PrometheusMetricsFactory {
    /// Histogram buckets fitted to what is measured: tens of microseconds for the gateway's own work,
    /// up to minutes for upstream calls.
    func configuredForGateway() -> PrometheusMetricsFactory {
        var factory = self
        factory.durationHistogramBuckets = [
            "reprise_gateway_overhead_seconds": [
                .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250), .microseconds(500),
                .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                .milliseconds(50), .milliseconds(100),
            ],
            "reprise_upstream_duration_seconds": [
                .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
                .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120),
            ],
        ]
        return factory
    }
}
