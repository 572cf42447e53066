import Foundation
import Reprise
import RepriseSemantic
import Testing

/// The installed model the tests run against, from `REPRISE_TEST_MODEL_DIR` (scripts/test.sh sets it).
enum TestModel {
    static let directory = ProcessInfo.processInfo.environment["REPRISE_TEST_MODEL_DIR"]
    static let isAvailable = directory != nil
    static let absentReason: Comment = "REPRISE_TEST_MODEL_DIR is not set; scripts/test.sh installs all-MiniLM-L6-v2 and sets it"

    /// Loaded once for all tests.
    static let embedder: MiniLMEmbedder? = directory.flatMap { try? MiniLMEmbedder(modelDirectory: $0) }
}

/// One line of the reference fixture: a text, its token ids and its embedding from sentence-transformers.
struct ReferenceEmbedding: Sendable, CustomTestStringConvertible {
    var text: String
    var tokenIDs: [Int32]
    var embedding: [Float]

    var testDescription: String { String(text.prefix(40)) }

    static let all: [ReferenceEmbedding] = {
        let path = Bundle.module.resourcePath! + "/Fixtures/minilm-l6-v2-reference.jsonl"
        let text = try! String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").map { line in
            let value = try! JSONParser.parse(String(line))
            return ReferenceEmbedding(
                text: value["text"]!.stringValue!,
                tokenIDs: value["token_ids"]!.arrayValue!.map { Int32($0.intValue!) },
                embedding: value["embedding"]!.arrayValue!.map { Float($0.doubleValue!) })
        }
    }()
}

func cosine(_ a: [Float], _ b: [Float]) -> Float {
    var dot: Float = 0, normA: Float = 0, normB: Float = 0
    for index in a.indices {
        dot += a[index] * b[index]
        normA += a[index] * a[index]
        normB += b[index] * b[index]
    }
    return dot / (normA.squareRoot() * normB.squareRoot())
}
