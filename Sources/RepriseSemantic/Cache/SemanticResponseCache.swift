import Logging
import Metrics
import Reprise

/// ``Reprise/ResponseCache`` with semantic matching, for a Swift program without the gateway: a request is
/// answered from an identical one's entry, else from a similar one's (same model, system prompt, earlier turns
/// and parameters; a last user turn close in meaning with no guard vetoing), else by calling the API once for
/// every caller asking at the same time, and the answer is stored and indexed.
///
/// Scope lists shared through the store are written in the background: run `background` (``Reprise/BackgroundWork/run()``)
/// in a task group for as long as the cache is used, and call ``Reprise/BackgroundWork/finish()`` when done.
public struct SemanticResponseCache: Sendable {
    /// Where an answer came from.
    public enum Source: Sendable, Equatable {
        /// The entry of an identical request.
        case exact
        /// The entry of a similar request, this similar.
        case semantic(similarity: Float)
        /// The API, called now (or by the caller this one waited for).
        case fetched
    }

    /// The exact cache underneath: keys, store, namespace and time to live.
    public let cache: ResponseCache
    /// The semantic layer over `cache`'s store.
    public let semantic: SemanticCache
    /// The similarity a match needs: 0.96 unless told otherwise.
    public var threshold: Float
    private let flights = SingleFlight<[UInt8]>()

    /// - Parameters:
    ///   - embedder: turns texts into vectors, such as ``BuiltInEmbedder``.
    ///   - embedderName: names the embedder's vectors, so vectors of another model are never compared.
    ///   - settings: the guards, candidates and limits of matching.
    ///   - background: where the shared scope lists are written; the caller runs it.
    public init(
        cache: ResponseCache, embedder: any Embedder, embedderName: String, settings: SemanticSettings = SemanticSettings(),
        threshold: Float = CachePolicy().semanticThreshold, background: BackgroundWork,
        logger: Logger = Logger(label: "reprise.semantic"), metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.cache = cache
        self.threshold = threshold
        self.semantic = SemanticCache(
            settings: settings, embedder: embedder, embedderName: embedderName, store: cache.store, clock: cache.clock,
            background: background, keyBuilder: cache.keyBuilder, metrics: SemanticMetrics(factory: metricsFactory), logger: logger)
    }

    /// The answer to `requestBody` and where it came from: an identical request's entry, a similar one's, or
    /// `fetch`, called once for every caller asking the same request meanwhile, whose answer is stored and
    /// indexed. A store that fails never fails the call: the answer is fetched.
    /// - Throws: ``Reprise/JSONParseError`` when the request is not JSON (nothing is fetched), or what `fetch` throws.
    public func answer(
        for requestBody: some Collection<UInt8>, route: String = "/v1/chat/completions",
        orFetch fetch: @escaping @Sendable () async throws -> [UInt8]
    ) async throws -> (body: [UInt8], source: Source) {
        let request = Array(requestBody)
        let body = try JSONParser.parse(request)
        let key = cache.keyBuilder.key(namespace: cache.namespace, route: route, body: body)
        if let entry = try? await cache.store.entry(for: key) { return (entry.body, .exact) }
        let query = SemanticQuery(body: body, namespace: cache.namespace, route: route, keyBuilder: cache.keyBuilder)
        var source: SemanticSource?
        if let query {
            switch await semantic.lookup(query, namespace: cache.namespace, threshold: threshold, maximumAge: nil) {
            case .hit(let match): return (match.entry.body, .semantic(similarity: match.similarity))
            case .miss(let vector, _): source = vector.map { SemanticSource(scope: query.scope, text: query.text, vector: $0) }
            }
        }
        let answer = try await flights.run(key) { [cache, semantic, source] in
            let answer = try await fetch()
            if let (key, entry) = try? await cache.store(answer, for: request, route: route, semantic: source), let source {
                semantic.remember(key, source: source, namespace: cache.namespace, expiresAt: entry.expiresAt)
            }
            return answer
        }
        return (answer, .fetched)
    }
}
