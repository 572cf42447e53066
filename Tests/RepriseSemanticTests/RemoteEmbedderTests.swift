import Foundation
import Synchronization
import RepriseSemantic
import RepriseSemanticRemote
import RepriseTesting
import Testing

@Suite("remote embedder")
struct RemoteEmbedderTests {
    /// A raw, unnormalised vector derived from the text, as a local server might return it.
    static func rawVector(_ text: String, dimension: Int) -> [Float] {
        let seed = text.utf8.reduce(7) { ($0 &* 31 &+ Int($1)) % 10_007 }
        return (0..<dimension).map { Float((seed &* ($0 + 3)) % 17) - 8.5 }
    }

    static func normalised(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return vector.map { $0 / norm }
    }

    /// An OpenAI-shaped server answering raw vectors in reverse order, each with its `index`.
    static func embeddingsServer(dimension: Int = 12, delay: Duration = .zero) -> LoopbackServer {
        LoopbackServer { request in
            let body = try! JSONSerialization.jsonObject(with: request.body) as! [String: Any]
            let inputs = body["input"] as! [String]
            let size = body["dimensions"] as? Int ?? dimension
            let data = inputs.enumerated().reversed().map { index, text in
                ["object": "embedding", "index": index, "embedding": rawVector(text, dimension: size)] as [String: Any]
            }
            var answer = LoopbackServer.Answer.json(["object": "list", "data": data, "model": body["model"] ?? ""])
            answer.delay = delay
            return answer
        }
    }

    static func configuration(
        _ url: String, batch: Int = 64, key: String? = nil, dimensions: Int? = nil, timeout: Duration = .seconds(60)
    ) -> RemoteEmbedderConfiguration {
        RemoteEmbedderConfiguration(baseURL: url, model: "text-embedding-test", apiKey: key, dimensions: dimensions, timeout: timeout, maximumBatchSize: batch)
    }

    func inputs(of request: LoopbackServer.Received) throws -> [String] {
        let body = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        return try #require(body["input"] as? [String])
    }

    @Test("splits large batches, puts answers back in order by index, and normalises every vector")
    func batchingOrderAndNormalisation() async throws {
        let server = Self.embeddingsServer()
        try await server.withRunning { url in
            let embedder = RemoteEmbedder(configuration: Self.configuration(url, batch: 4), dimension: 12)
            let texts = (0..<10).map { "text number \($0)" }
            let vectors = try await embedder.embed(texts)
            #expect(server.requestCount == 3)
            #expect(try server.requests.map { try inputs(of: $0).count }.sorted() == [2, 4, 4])
            for (text, vector) in zip(texts, vectors) {
                let expected = Self.normalised(Self.rawVector(text, dimension: 12))
                #expect(zip(vector, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "vector of \(text)")
                #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
            }
            #expect(server.requests.allSatisfy { $0.method == "POST" && $0.path == "/v1/embeddings" })
        }
    }

    @Test("a text already embedded, or repeated in a call, never goes out again")
    func cacheHits() async throws {
        let server = Self.embeddingsServer()
        try await server.withRunning { url in
            let embedder = RemoteEmbedder(configuration: Self.configuration(url), dimension: 12)
            let first = try await embedder.embed(["alpha", "beta", "alpha"])
            #expect(server.requestCount == 1)
            #expect(try inputs(of: server.requests[0]) == ["alpha", "beta"])
            #expect(first[0] == first[2])
            let second = try await embedder.embed(["beta", "gamma", "alpha"])
            #expect(server.requestCount == 2)
            #expect(try inputs(of: server.requests[1]) == ["gamma"])
            #expect(second[0] == first[1] && second[2] == first[0])
            _ = try await embedder.embed("gamma")
            #expect(server.requestCount == 2)
            #expect(embedder.requestsSent == 2)
            #expect(embedder.cache.statistics.entries == 3)
        }
    }

    @Test("concurrent calls for the same text share one request")
    func concurrentCallsShareARequest() async throws {
        let server = Self.embeddingsServer(delay: .milliseconds(300))
        try await server.withRunning { url in
            let embedder = RemoteEmbedder(configuration: Self.configuration(url), dimension: 12)
            let vectors = try await withThrowingTaskGroup(of: [Float].self) { group in
                for _ in 0..<8 { group.addTask { try await embedder.embed("the same question") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(server.requestCount == 1)
            #expect(Set(vectors).count == 1)
        }
    }

    @Test("sends the model, the dimensions and the API key as a bearer token")
    func requestFields() async throws {
        let server = Self.embeddingsServer()
        try await server.withRunning { url in
            let embedder = RemoteEmbedder(configuration: Self.configuration(url + "/v1/", key: "sk-test-123", dimensions: 6), dimension: 6)
            #expect(try await embedder.embed("hello").count == 6)
            let request = try #require(server.requests.first)
            #expect(request.path == "/v1/embeddings")
            #expect(request.headers["authorization"] == "Bearer sk-test-123")
            let body = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
            #expect(body["model"] as? String == "text-embedding-test")
            #expect(body["dimensions"] as? Int == 6)

            let anonymous = RemoteEmbedder(configuration: Self.configuration(url), dimension: 12)
            _ = try await anonymous.embed("hello")
            #expect(server.requests.last?.headers["authorization"] == nil)
            #expect((try JSONSerialization.jsonObject(with: server.requests.last!.body) as? [String: Any])?["dimensions"] == nil)
        }
    }

    @Test("connect learns the dimension with one probe, which is then cached")
    func connectLearnsDimension() async throws {
        let server = Self.embeddingsServer(dimension: 20)
        try await server.withRunning { url in
            let embedder = try await RemoteEmbedder.connect(configuration: Self.configuration(url))
            #expect(embedder.dimension == 20)
            #expect(server.requestCount == 1)
            #expect(try await embedder.embed("another text").count == 20)
            #expect(server.requestCount == 2)
        }
    }

    @Test("the least recently used embeddings are evicted past the cache's capacity")
    func eviction() async throws {
        let server = Self.embeddingsServer()
        try await server.withRunning { url in
            var configuration = Self.configuration(url)
            // One entry is 48 bytes of vector plus the model name and text: room for two.
            configuration.cacheCapacityBytes = 2 * (12 * 4 + "text-embedding-test".utf8.count + 1) + 1
            let embedder = RemoteEmbedder(configuration: configuration, dimension: 12)
            _ = try await embedder.embed(["a", "b"])
            _ = try await embedder.embed("a")
            _ = try await embedder.embed("c")
            #expect(server.requestCount == 2)
            _ = try await embedder.embed(["a", "c"])
            #expect(server.requestCount == 2)
            _ = try await embedder.embed("b")
            #expect(server.requestCount == 3)
            #expect(try inputs(of: server.requests[2]) == ["b"])
            #expect(embedder.cache.statistics.evictions == 2)
        }
    }

    @Test("base64 embeddings are decoded as little-endian floats")
    func base64Embeddings() async throws {
        let server = LoopbackServer { _ in
            let floats: [Float] = [3, 0, -4]
            let data = Data(floats.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
            return .json(["data": [["index": 0, "embedding": data.base64EncodedString()]]])
        }
        try await server.withRunning { url in
            let embedder = RemoteEmbedder(configuration: Self.configuration(url), dimension: 3)
            let vector = try await embedder.embed("x")
            #expect(vector == [0.6, 0, -0.8])
        }
    }

    @Test("works against the fake upstream the gateway tests use")
    func fakeUpstream() async throws {
        let upstream = FakeUpstream()
        try await upstream.withRunning { url in
            let embedder = try await RemoteEmbedder.connect(configuration: Self.configuration(url, key: "sk-fake", dimensions: 16))
            #expect(embedder.dimension == 16)
            let vectors = try await embedder.embed(["How do I reset my password?", "Where is my order?"])
            #expect(vectors.allSatisfy { abs($0.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5 })
            #expect(vectors[0] != vectors[1])
            #expect(upstream.callCount(path: "/v1/embeddings") == 2)
            #expect(upstream.lastRequestHeaders["authorization"] == "Bearer sk-fake")
        }
    }

    /// Runs `embed` against a server answering `answer`, and returns the error it throws.
    func failure(
        answer: @escaping @Sendable (LoopbackServer.Received) -> LoopbackServer.Answer, dimension: Int = 3, dimensions: Int? = nil,
        timeout: Duration = .seconds(60), texts: [String] = ["one", "two"]
    ) async throws -> RemoteEmbedderError {
        let server = LoopbackServer(answer: answer)
        return try await server.withRunning { url in
            let configuration = Self.configuration(url, key: "sk-secret-key", dimensions: dimensions, timeout: timeout)
            let embedder = RemoteEmbedder(configuration: configuration, dimension: dimension)
            let error = await #expect(throws: RemoteEmbedderError.self) { try await embedder.embed(texts) }
            let unwrapped = try #require(error)
            #expect(unwrapped.message.contains(url + "/v1/embeddings"))
            #expect(!unwrapped.message.contains("sk-secret-key"))
            return unwrapped
        }
    }

    @Test("a non-2xx answer quotes the endpoint's error message and says what to do")
    func upstreamStatus() async throws {
        let error = try await failure { _ in
            .json(["error": ["message": "Incorrect API key provided.", "type": "invalid_request_error"]], status: 401)
        }
        #expect(error.kind == .upstreamStatus && error.status == 401)
        #expect(error.message.contains("401: Incorrect API key provided.") && error.message.contains("Check the API key"))

        // Retried twice after backoffs of 0.5 and 1 s; a timeout no busy machine reaches lets the last answer be the error.
        let plain = try await failure(answer: { _ in LoopbackServer.Answer(status: 503, body: Data("model is loading".utf8)) }, timeout: .seconds(60))
        #expect(plain.status == 503 && plain.message.contains("model is loading"))
    }

    @Test("a 429 or 503 is tried again after Retry-After or the backoff, and its error counts the attempts")
    func retries() async throws {
        // Rate limited twice, with Retry-After: 0, then answered.
        let calls = Mutex(0)
        let flaky = LoopbackServer { _ in
            let call = calls.withLock { count in
                count += 1
                return count
            }
            guard call > 2 else {
                var answer = LoopbackServer.Answer.json(["error": ["message": "Rate limit reached"]], status: 429)
                answer.headers = ["Retry-After": "0"]
                return answer
            }
            return .json(["data": [["index": 0, "embedding": [3, 4, 0]]]])
        }
        try await flaky.withRunning { url in
            let embedder = RemoteEmbedder(configuration: Self.configuration(url), dimension: 3)
            let vector = try await embedder.embed("x")
            #expect(vector == [0.6, 0.8, 0])
            #expect(flaky.requestCount == 3)
        }

        // Always failing: the first attempt and two retries after 20 and 40 ms, then the error.
        let down = LoopbackServer { _ in LoopbackServer.Answer(status: 503, body: Data("overloaded".utf8)) }
        try await down.withRunning { url in
            var configuration = Self.configuration(url)
            configuration.retryBackoff = .milliseconds(20)
            let embedder = RemoteEmbedder(configuration: configuration, dimension: 3)
            let error = await #expect(throws: RemoteEmbedderError.self) { try await embedder.embed("x") }
            #expect(down.requestCount == 3)
            #expect(error?.status == 503 && error?.message.contains("overloaded (3 attempts)") == true)
        }

        // A Retry-After past the deadline fails at once instead of waiting; a 400 is never retried.
        let later = LoopbackServer { _ in
            var answer = LoopbackServer.Answer.json(["error": ["message": "slow down"]], status: 429)
            answer.headers = ["Retry-After": "120"]
            return answer
        }
        try await later.withRunning { url in
            let embedder = RemoteEmbedder(configuration: Self.configuration(url, timeout: .seconds(60)), dimension: 3)
            let started = ContinuousClock.now
            let error = await #expect(throws: RemoteEmbedderError.self) { try await embedder.embed("x") }
            // Waiting would take the whole minute of the timeout.
            #expect(ContinuousClock.now - started < .seconds(20))
            #expect(later.requestCount == 1 && error?.status == 429 && error?.message.contains("attempts") == false)
        }
        let refused = try await failure { _ in .json(["error": ["message": "bad model"]], status: 400) }
        #expect(refused.status == 400 && !refused.message.contains("attempts"))
    }

    @Test("an answer that is not an embeddings list is malformed")
    func malformedAnswers() async throws {
        let notJSON = try await failure { _ in LoopbackServer.Answer(status: 200, body: Data("<html>".utf8)) }
        #expect(notJSON.kind == .malformedAnswer && notJSON.message.contains("not JSON"))
        let noData = try await failure { _ in .json(["object": "list"]) }
        #expect(noData.kind == .malformedAnswer && noData.message.contains("'data' is missing"))
        let badIndex = try await failure { _ in .json(["data": [["index": 0, "embedding": [1, 0, 0]], ["index": 0, "embedding": [0, 1, 0]]]]) }
        #expect(badIndex.kind == .malformedAnswer && badIndex.message.contains("index 0"))
        let strings = try await failure { _ in .json(["data": [["index": 0, "embedding": ["a"]], ["index": 1, "embedding": [0, 1, 0]]]]) }
        #expect(strings.kind == .malformedAnswer && strings.message.contains("data[0].embedding"))
    }

    @Test("an answer with another number of embeddings than texts is refused")
    func wrongCount() async throws {
        let error = try await failure { _ in .json(["data": [["index": 0, "embedding": [1, 0, 0]]]]) }
        #expect(error.kind == .wrongCount && error.message.contains("1 embeddings for 2 texts"))
    }

    @Test("vectors of another dimension than the embedder's are refused")
    func inconsistentDimension() async throws {
        let error = try await failure { _ in .json(["data": [["index": 0, "embedding": [1, 0]], ["index": 1, "embedding": [0, 1]]]]) }
        #expect(error.kind == .inconsistentDimension && error.message.contains("2 dimensions") && error.message.contains("set up for 3"))
        let mixed = try await failure(answer: { _ in .json(["data": [["index": 0, "embedding": [1, 0, 0]], ["index": 1, "embedding": [0, 1]]]]) })
        #expect(mixed.kind == .inconsistentDimension)

        let server = Self.embeddingsServer(dimension: 12)
        try await server.withRunning { url in
            // A server that ignores `dimensions`: connect refuses it instead of learning the wrong size.
            let ignoring = LoopbackServer { _ in .json(["data": [["index": 0, "embedding": [1, 2, 3, 4]]]]) }
            try await ignoring.withRunning { ignoringURL in
                await #expect(throws: RemoteEmbedderError.self) {
                    try await RemoteEmbedder.connect(configuration: Self.configuration(ignoringURL, dimensions: 8))
                }
            }
            #expect(try await RemoteEmbedder.connect(configuration: Self.configuration(url, dimensions: 8)).dimension == 8)
        }
    }

    @Test("an endpoint that does not answer in time, or at all, is unreachable; failures are not cached")
    func unreachable() async throws {
        let slow = try await failure(
            answer: { _ in
                var answer = LoopbackServer.Answer.json(["data": []])
                answer.delay = .seconds(1)
                return answer
            }, timeout: .milliseconds(300))
        #expect(slow.kind == .unreachable && slow.message.contains("no answer within"))

        let closedPort = try await LoopbackServer { _ in .json([:]) }.withRunning { $0 }
        let embedder = RemoteEmbedder(configuration: Self.configuration(closedPort, timeout: .milliseconds(500)), dimension: 3)
        let error = await #expect(throws: RemoteEmbedderError.self) { try await embedder.embed("x") }
        #expect(error?.kind == .unreachable)
        await #expect(throws: RemoteEmbedderError.self) { try await embedder.embed("x") }
        #expect(embedder.requestsSent == 2)
    }
}
