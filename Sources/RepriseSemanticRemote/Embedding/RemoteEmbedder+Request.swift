import RepriseSemantic
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

extension RemoteEmbedder {
    /// The largest answer read; 64 texts of 4,096 dimensions in JSON take about 6 MiB.
    static let maximumAnswerBytes = 64 << 20

    /// Statuses worth another attempt: rate limiting, and a server failing or overloaded for the moment.
    static let retriedStatuses: Set<Int> = [429, 500, 502, 503, 504]

    /// One `POST /v1/embeddings` for `texts`: vectors in the order of `texts`, normalised, each checked to have
    /// `expectedDimension` components (when given) and the same number as the others.
    ///
    /// A retried status is tried again up to ``RemoteEmbedderConfiguration/maximumRetries`` times, after the
    /// answer's `Retry-After` or the backoff, when that wait ends before the call's deadline; otherwise its
    /// error is thrown at once, so a lookup never waits past the timeout.
    func request(_ texts: [String], expectedDimension: Int?) async throws(RemoteEmbedderError) -> [[Float]] {
        let url = configuration.endpointURL
        let deadline = ContinuousClock.now + configuration.timeout
        var attempts = 1
        var (status, retryAfter, body) = try await send(texts, to: url, deadline: deadline)
        while Self.retriedStatuses.contains(status), attempts <= configuration.maximumRetries {
            let wait = retryAfter ?? configuration.retryBackoff * (1 << (attempts - 1))
            guard ContinuousClock.now + wait < deadline, (try? await Task.sleep(for: wait)) != nil else { break }
            attempts += 1
            (status, retryAfter, body) = try await send(texts, to: url, deadline: deadline)
        }
        guard (200..<300).contains(status) else {
            throw .upstreamStatus(url, status: status, upstreamMessage: EmbeddingsAnswer.errorMessage(in: body), attempts: attempts)
        }
        let answer: EmbeddingsAnswer
        do {
            answer = try EmbeddingsAnswer.decode(body)
        } catch {
            throw .malformedAnswer(url, reason: error.reason)
        }
        guard answer.data.count == texts.count else { throw .wrongCount(url, sent: texts.count, received: answer.data.count) }
        let vectors = try ordered(answer.data, url: url)
        let dimension = expectedDimension ?? vectors[0].count
        for vector in vectors where vector.count != dimension {
            throw .inconsistentDimension(url, expected: dimension, received: vector.count)
        }
        return try vectors.map { vector throws(RemoteEmbedderError) in
            guard vector.allSatisfy(\.isFinite) else { throw .malformedAnswer(url, reason: "an embedding holds a value that is not a finite number") }
            return Self.normalised(vector)
        }
    }

    /// The items by their `index`, which must be a permutation of 0..<count; items without one keep their place.
    private func ordered(_ items: [EmbeddingsAnswer.Item], url: String) throws(RemoteEmbedderError) -> [[Float]] {
        var vectors = [[Float]?](repeating: nil, count: items.count)
        for (place, item) in items.enumerated() {
            let index = item.index ?? place
            guard vectors.indices.contains(index), vectors[index] == nil else {
                throw .malformedAnswer(url, reason: "embedding index \(index) is out of range or repeated in an answer of \(items.count)")
            }
            guard !item.embedding.isEmpty else { throw .malformedAnswer(url, reason: "embedding \(index) is empty") }
            vectors[index] = item.embedding
        }
        return vectors.map { $0! }
    }

    /// One attempt, which must be answered by `deadline`: the status, the `Retry-After` delay in seconds (when
    /// the answer gives one), and the body.
    private func send(_ texts: [String], to url: String, deadline: ContinuousClock.Instant) async throws(RemoteEmbedderError)
        -> (status: Int, retryAfter: Duration?, body: Data)
    {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        if let key = configuration.apiKey, !key.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        request.body = .bytes(ByteBuffer(bytes: requestBody(texts)))
        let remaining = ContinuousClock.now.duration(to: deadline)
        guard remaining > .zero else { throw .unreachable(url, reason: "no answer within \(configuration.timeout)") }
        do {
            requestCounter.wrappingAdd(1, ordering: .relaxed)
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(remaining / .nanoseconds(1))))
            let body = try await response.body.collect(upTo: Self.maximumAnswerBytes)
            let retryAfter = response.headers.first(name: "Retry-After").flatMap(Self.delay(seconds:))
            return (Int(response.status.code), retryAfter, Data(body.readableBytesView))
        } catch let error as NIOTooManyBytesError {
            throw .malformedAnswer(url, reason: "the answer is larger than \(Self.maximumAnswerBytes >> 20) MiB (\(error))")
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .connectTimeout {
            throw .unreachable(url, reason: "no answer within \(configuration.timeout)")
        } catch let error as HTTPClientError where error == .readTimeout {
            throw .unreachable(url, reason: "the connection went silent for longer than the HTTP client's read timeout, before the \(configuration.timeout) deadline")
        } catch {
            throw .unreachable(url, reason: String(describing: error))
        }
    }

    /// A `Retry-After` given in seconds (the HTTP-date form is not used by embeddings APIs and is ignored).
    private static func delay(seconds text: String) -> Duration? {
        guard let seconds = Double(text), seconds >= 0, seconds < 86_400 else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }

    private func requestBody(_ texts: [String]) -> Data {
        var body: [String: Any] = ["model": configuration.model, "input": texts]
        if let dimensions = configuration.dimensions { body["dimensions"] = dimensions }
        // Only strings, numbers and arrays of strings: serialisation cannot fail.
        return (try? JSONSerialization.data(withJSONObject: body)) ?? Data()
    }

    /// `vector` scaled to length 1; a zero vector stays zero (it is similar to nothing).
    static func normalised(_ vector: [Float]) -> [Float] {
        let norm = Float(vector.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot())
        guard norm > 0 else { return vector }
        return vector.map { $0 / norm }
    }
}
