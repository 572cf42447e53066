import RepriseSemantic
import Foundation

/// The body of an OpenAI-compatible `/v1/embeddings` answer, and of its error answers.
struct EmbeddingsAnswer: Decodable {
    struct Item: Decodable {
        var index: Int?
        var embedding: [Float]

        private enum CodingKeys: String, CodingKey {
            case index, embedding
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            index = try container.decodeIfPresent(Int.self, forKey: .index)
            if let encoded = try? container.decode(String.self, forKey: .embedding) {
                embedding = try Self.decodeBase64(encoded, in: container)
            } else {
                embedding = try container.decode([Float].self, forKey: .embedding)
            }
        }

        /// `encoding_format: "base64"` answers: little-endian 32-bit floats.
        private static func decodeBase64(_ text: String, in container: KeyedDecodingContainer<CodingKeys>) throws -> [Float] {
            guard let data = Data(base64Encoded: text), data.count % 4 == 0 else {
                throw DecodingError.dataCorruptedError(forKey: .embedding, in: container, debugDescription: "an embedding string that is not base64 of 32-bit floats")
            }
            return stride(from: 0, to: data.count, by: 4).map { offset in
                Float(bitPattern: data[data.startIndex + offset..<data.startIndex + offset + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) })
            }
        }
    }

    var data: [Item]

    /// Decodes `body`, describing the first problem in words.
    static func decode(_ body: Data) throws(DescribedProblem) -> EmbeddingsAnswer {
        do {
            return try JSONDecoder().decode(EmbeddingsAnswer.self, from: body)
        } catch let DecodingError.keyNotFound(key, context) {
            throw DescribedProblem("field '\(path(context.codingPath + [key]))' is missing")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw DescribedProblem("field '\(path(context.codingPath))' has the wrong type")
        } catch let DecodingError.dataCorrupted(context) {
            throw DescribedProblem(context.codingPath.isEmpty ? "the body is not JSON" : "field '\(path(context.codingPath))': \(context.debugDescription)")
        } catch {
            throw DescribedProblem("the body cannot be decoded (\(error))")
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingPrefix(".").description
    }

    /// The error message of an error answer: OpenAI's `{"error": {"message": …}}`, a bare `{"error": "…"}`,
    /// FastAPI's `{"detail": …}`, or else the start of the body.
    static func errorMessage(in body: Data) -> String {
        let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
        if let error = object?["error"] as? [String: Any], let message = error["message"] as? String { return message }
        if let message = object?["error"] as? String { return message }
        if let message = object?["message"] as? String { return message }
        if let detail = object?["detail"] {
            return detail as? String ?? String(describing: detail)
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return body.count > 300 ? text + "…" : text
    }
}

/// A problem described in words, to be wrapped in a typed error naming its context.
struct DescribedProblem: Error {
    var reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}
