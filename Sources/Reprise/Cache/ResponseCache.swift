/// The response cache without the gateway: a Swift program hands it OpenAI request and answer bodies,
/// and it computes keys exactly as `reprise serve` does, looks answers up and stores them.
///
/// ```swift
/// let cache = ResponseCache(store: MemoryCacheStore())
/// if let cached = try await cache.answer(for: requestBody) {
///     return cached.body
/// }
/// let answer = try await callTheAPI(requestBody)
/// try await cache.store(answer, for: requestBody)
/// ```
public struct ResponseCache: Sendable {
    /// Where answers are kept.
    public let store: any CacheStore
    /// Which request fields the key leaves out.
    public var keyBuilder: CacheKeyBuilder
    /// The namespace keys are computed in; use one per credential or tenant whose answers must not mix.
    public var namespace: String
    /// How long stored answers live: 5 minutes unless told otherwise.
    public var timeToLive: Duration
    private let clock: any EpochClock

    public init(
        store: any CacheStore, namespace: String = "default", timeToLive: Duration = .seconds(300),
        keyBuilder: CacheKeyBuilder = CacheKeyBuilder(), clock: any EpochClock = SystemEpochClock()
    ) {
        self.store = store
        self.namespace = namespace
        self.timeToLive = timeToLive
        self.keyBuilder = keyBuilder
        self.clock = clock
    }

    /// The key of `requestBody` sent to `route`.
    /// - Throws: ``JSONParseError`` when the body is not JSON.
    public func key(for requestBody: some Collection<UInt8>, route: String = "/v1/chat/completions") throws -> CacheKey {
        keyBuilder.key(namespace: namespace, route: route, body: try JSONParser.parse(requestBody))
    }

    /// The cached answer to `requestBody`, or `nil`.
    public func answer(for requestBody: some Collection<UInt8>, route: String = "/v1/chat/completions") async throws -> CacheEntry? {
        try await store.entry(for: key(for: requestBody, route: route))
    }

    /// Stores `answerBody` as the answer to `requestBody`, with the token usage the answer reports.
    public func store(
        _ answerBody: some Collection<UInt8>, for requestBody: some Collection<UInt8>, route: String = "/v1/chat/completions"
    ) async throws {
        let request = try JSONParser.parse(requestBody)
        let answer = try JSONParser.parse(answerBody)
        let entry = CacheEntry(
            body: Array(answerBody), model: request["model"]?.stringValue ?? "", namespace: namespace, route: route,
            usage: TokenUsage(openAIResponse: answer) ?? TokenUsage(), createdAt: clock.now, timeToLive: timeToLive)
        try await store.setEntry(entry, for: keyBuilder.key(namespace: namespace, route: route, body: request))
    }
}
