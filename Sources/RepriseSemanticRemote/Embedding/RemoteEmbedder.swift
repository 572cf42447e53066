import RepriseSemantic
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// An embedder backed by any OpenAI-compatible `POST /v1/embeddings` endpoint: OpenAI, or a local server
/// (llama.cpp, Ollama, text-embeddings-inference, vLLM).
///
/// - Texts of one call go out in as few requests as possible (``RemoteEmbedderConfiguration/maximumBatchSize``
///   per request, the requests of one call in parallel), each text once even when a call repeats it.
/// - Answers are put back in the order of the texts by their `index` field, and every vector is L2-normalised
///   (local servers often return raw vectors).
/// - Vectors are kept in an ``EmbeddingCache`` keyed by (model, dimensions, text): a text already embedded never
///   goes out again, and a text asked for while its request is in flight waits for that request.
///
/// ## The dimension
/// ``dimension`` must hold before the first call, so it is either stated (``init(configuration:dimension:client:cache:)``,
/// for instance from the configuration's `dimensions`) or learnt from the endpoint by one probe request
/// (``connect(configuration:client:cache:)``). Every answer is checked against it afterwards: an endpoint that
/// changes its model under a running gateway gives ``RemoteEmbedderError`` instead of vectors that cannot be
/// compared with the stored ones.
public final class RemoteEmbedder: Embedder {
    public let configuration: RemoteEmbedderConfiguration
    public let dimension: Int
    /// The embeddings cache; pass one to several embedders to share it.
    public let cache: EmbeddingCache
    let client: HTTPClient
    private let inFlight = Mutex<[EmbeddingCache.Key: PendingVector]>([:])
    let requestCounter = Atomic<Int>(0)

    /// The HTTP client remote embedders use unless given one, for the life of the process. The request's
    /// ``RemoteEmbedderConfiguration/timeout`` is its only limit on an answer (no read timeout, so a slow
    /// local server is not cut short of it), and a refused connection fails at once rather than being
    /// retried until the timeout.
    public static let defaultClient: HTTPClient = {
        var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(2)))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// The text a probe embeds to learn the dimension.
    static let probeText = "dimension probe"

    /// An embedder whose vectors have `dimension` components, sending nothing until the first call.
    ///
    /// - Precondition: `dimension > 0`.
    public init(
        configuration: RemoteEmbedderConfiguration, dimension: Int, client: HTTPClient = RemoteEmbedder.defaultClient, cache: EmbeddingCache? = nil
    ) {
        precondition(dimension > 0, "an embedding needs at least one component")
        self.configuration = configuration
        self.dimension = dimension
        self.client = client
        self.cache = cache ?? EmbeddingCache(capacityBytes: configuration.cacheCapacityBytes)
    }

    /// Asks the endpoint for one embedding to learn the dimension (and to check the URL, key and model).
    ///
    /// When the configuration sets `dimensions`, the answer must have that many components.
    /// - Throws: ``RemoteEmbedderError``.
    public static func connect(
        configuration: RemoteEmbedderConfiguration, client: HTTPClient = RemoteEmbedder.defaultClient, cache: EmbeddingCache? = nil
    ) async throws(RemoteEmbedderError) -> RemoteEmbedder {
        let probe = RemoteEmbedder(configuration: configuration, dimension: 1, client: client, cache: cache)
        let vectors = try await probe.request([probeText], expectedDimension: configuration.dimensions)
        let embedder = RemoteEmbedder(configuration: configuration, dimension: vectors[0].count, client: client, cache: probe.cache)
        embedder.cache.insert(vectors[0], for: embedder.cacheKey(probeText))
        return embedder
    }

    /// Requests sent to the endpoint so far (each up to the maximum batch size of texts).
    public var requestsSent: Int { requestCounter.load(ordering: .relaxed) }

    /// Embeds `texts`, sending only those neither cached nor already in flight.
    ///
    /// - Throws: ``RemoteEmbedderError``; a failed request is not cached, so the next call asks again.
    public func embed(_ texts: [String]) async throws -> [[Float]] {
        let keys = texts.map(cacheKey)
        var vectors: [EmbeddingCache.Key: [Float]] = [:]
        let pending: [EmbeddingCache.Key: PendingVector] = inFlight.withLock { inFlight in
            var pending: [EmbeddingCache.Key: PendingVector] = [:]
            var missing: [EmbeddingCache.Key] = []
            var seen: Set<EmbeddingCache.Key> = []
            for key in keys where seen.insert(key).inserted {
                if let vector = cache.vector(for: key) {
                    vectors[key] = vector
                } else if let wait = inFlight[key] {
                    pending[key] = wait
                } else {
                    missing.append(key)
                }
            }
            for batch in missing.chunks(of: max(1, configuration.maximumBatchSize)) {
                // Unstructured by necessity: one request shared by every caller that needs these texts
                // meanwhile (they await it; none owns it). It ends by itself within the endpoint's timeout.
                let task = Task { try await self.fetch(batch) }
                for (position, key) in batch.enumerated() {
                    inFlight[key] = PendingVector(task: task, position: position)
                    pending[key] = inFlight[key]
                }
            }
            return pending
        }
        for (key, wait) in pending {
            vectors[key] = try await wait.task.value[wait.position]
        }
        return keys.map { vectors[$0]! }
    }

    /// Sends `batch`, then stores its vectors in the cache; its keys are no longer in flight either way.
    private func fetch(_ batch: [EmbeddingCache.Key]) async throws -> [[Float]] {
        defer { inFlight.withLock { inFlight in for key in batch { inFlight[key] = nil } } }
        let vectors = try await request(batch.map(\.text), expectedDimension: dimension)
        for (key, vector) in zip(batch, vectors) { cache.insert(vector, for: key) }
        return vectors
    }

    private func cacheKey(_ text: String) -> EmbeddingCache.Key {
        EmbeddingCache.Key(model: configuration.model, dimensions: configuration.dimensions, text: text)
    }
}

/// A text's vector that a request in flight will bring: the request's task and the text's place in its batch.
private struct PendingVector: Sendable {
    var task: Task<[[Float]], any Error>
    var position: Int
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    fileprivate func chunks(of size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
