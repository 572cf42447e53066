import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

extension RemoteEmbedder {
    /// The largest answer read; 64 texts of 4,096 dimensions in JSON take about 6 MiB.
    static let maximumAnswerBytes = 64 << 20

    /// One `POST /v1/embeddings` for `texts`: vectors in the order of `texts`, normalised, each checked to have
    /// `expectedDimension` components (when given) and the same number as the others.
    func request(_ texts: [String], expectedDimension: Int?) async throws(RemoteEmbedderError) -> [[Float]] {
        let url = configuration.endpointURL
        let (status, body) = try await send(texts, to: url)
        guard (200..<300).contains(status) else {
            throw .upstreamStatus(url, status: status, upstreamMessage: EmbeddingsAnswer.errorMessage(in: body))
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

    private func send(_ texts: [String], to url: String) async throws(RemoteEmbedderError) -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        if let key = configuration.apiKey, !key.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(key)") }
        request.body = .bytes(ByteBuffer(bytes: requestBody(texts)))
        let deadline = TimeAmount.nanoseconds(Int64(configuration.timeout / .nanoseconds(1)))
        do {
            requestCounter.wrappingAdd(1, ordering: .relaxed)
            let response = try await client.execute(request, timeout: deadline)
            let body = try await response.body.collect(upTo: Self.maximumAnswerBytes)
            return (Int(response.status.code), Data(body.readableBytesView))
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
