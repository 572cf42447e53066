import RepriseSemantic

/// Where and how ``RemoteEmbedder`` asks for embeddings.
///
/// | property | default | meaning |
/// | --- | --- | --- |
/// | `baseURL` | — | the API's base URL without `/v1` (`https://api.openai.com`, `http://127.0.0.1:8080`); a trailing `/v1` is accepted |
/// | `model` | — | the `model` field of each request (`text-embedding-3-small`) |
/// | `apiKey` | none | sent as `Authorization: Bearer …` when set |
/// | `dimensions` | none | sent as the `dimensions` field when set (models that can shorten their vectors) |
/// | `timeout` | 30 s | the deadline of one call's request, its retries included |
/// | `maximumRetries` | 2 | further attempts after a 429, 500, 502, 503 or 504, each after the answer's `Retry-After` or an exponential backoff, and only when the wait ends before the deadline |
/// | `retryBackoff` | 0.5 s | the first backoff without `Retry-After`; it doubles with each retry |
/// | `maximumBatchSize` | 64 | texts per request; larger batches are split |
/// | `cacheCapacityBytes` | 64 MiB | the in-memory cache of embeddings; 0 disables it |
public struct RemoteEmbedderConfiguration: Sendable, Hashable {
    public var baseURL: String
    public var model: String
    public var apiKey: String?
    public var dimensions: Int?
    public var timeout: Duration
    public var maximumBatchSize: Int
    public var cacheCapacityBytes: Int
    public var maximumRetries: Int
    public var retryBackoff: Duration

    public init(
        baseURL: String, model: String, apiKey: String? = nil, dimensions: Int? = nil, timeout: Duration = .seconds(30),
        maximumBatchSize: Int = 64, cacheCapacityBytes: Int = EmbeddingCache.defaultCapacityBytes, maximumRetries: Int = 2,
        retryBackoff: Duration = .milliseconds(500)
    ) {
        self.maximumRetries = maximumRetries
        self.retryBackoff = retryBackoff
        self.baseURL = baseURL
        self.model = model
        self.apiKey = apiKey
        self.dimensions = dimensions
        self.timeout = timeout
        self.maximumBatchSize = maximumBatchSize
        self.cacheCapacityBytes = cacheCapacityBytes
    }

    /// `POST` target: the base URL without trailing slashes or `/v1`, then `/v1/embeddings`.
    public var endpointURL: String {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/v1") { base.removeLast(3) }
        return base + "/v1/embeddings"
    }
}
