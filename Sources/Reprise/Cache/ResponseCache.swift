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
///
/// or, in one call that also coalesces identical requests made at the same time:
///
/// ```swift
/// let answer = try await cache.answer(for: requestBody) { try await callTheAPI(requestBody) }
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
    /// The clock entries are dated and aged by.
    public let clock: any EpochClock
    /// The API calls under way, one per key.
    private let flights = SingleFlight<[UInt8]>()

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

    /// Stores `answerBody` as the answer to `requestBody`, with the token usage the answer reports and, for
    /// semantic matching, what the semantic cache indexed it by.
    /// - Returns: the key and the entry stored.
    @discardableResult
    public func store(
        _ answerBody: some Collection<UInt8>, for requestBody: some Collection<UInt8>, route: String = "/v1/chat/completions",
        semantic: SemanticSource? = nil
    ) async throws -> (key: CacheKey, entry: CacheEntry) {
        let request = try JSONParser.parse(requestBody)
        let answer = try JSONParser.parse(answerBody)
        let entry = CacheEntry(
            body: Array(answerBody), model: request["model"]?.stringValue ?? "", namespace: namespace, route: route,
            usage: TokenUsage(openAIResponse: answer) ?? TokenUsage(), createdAt: clock.now, timeToLive: timeToLive, semantic: semantic)
        let key = keyBuilder.key(namespace: namespace, route: route, body: request)
        try await store.setEntry(entry, for: key)
        return (key, entry)
    }

    /// The answer to `requestBody`: the cached one, or what `fetch` returns, stored for next time.
    ///
    /// Callers asking the same request while `fetch` runs wait for that one call instead of making their
    /// own (``SingleFlight``). A store that fails — a network store behind ``ResilientCacheStore`` that
    /// times out — never fails the call: the answer is fetched, and kept when the store takes it. Answers
    /// that are not JSON are returned but not stored.
    /// - Throws: ``JSONParseError`` when the request is not JSON (nothing is fetched), or what `fetch` throws.
    public func answer(
        for requestBody: some Collection<UInt8>, route: String = "/v1/chat/completions",
        orFetch fetch: @escaping @Sendable () async throws -> [UInt8]
    ) async throws -> [UInt8] {
        let request = Array(requestBody)
        let key = try key(for: request, route: route)
        if let cached = try? await store.entry(for: key) { return cached.body }
        return try await flights.run(key) {
            let answer = try await fetch()
            _ = try? await self.store(answer, for: request, route: route)
            return answer
        }
    }

    /// How many API calls ``answer(for:route:orFetch:)`` has under way now.
    public var callsInFlight: Int { flights.flightCount }

    /// How many callers of ``answer(for:route:orFetch:)`` wait on those calls now, the callers making them included.
    public var callersWaiting: Int { flights.waitingCount }
}
