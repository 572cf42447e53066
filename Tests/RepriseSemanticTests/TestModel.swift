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
    static let embedder: BuiltInEmbedder? = directory.flatMap { try? BuiltInEmbedder(model: .miniLM, modelDirectory: $0) }
}

/// The installed all-mpnet-base-v2, from `REPRISE_TEST_MPNET_DIR` (scripts/test.sh sets it).
enum TestMPNetModel {
    static let directory = ProcessInfo.processInfo.environment["REPRISE_TEST_MPNET_DIR"]
    static let isAvailable = directory != nil
    static let absentReason: Comment = "REPRISE_TEST_MPNET_DIR is not set; scripts/test.sh installs all-mpnet-base-v2 and sets it"

    /// Loaded once for all tests.
    static let embedder: BuiltInEmbedder? = directory.flatMap { try? BuiltInEmbedder(model: .mpnet, modelDirectory: $0) }
}

/// One line of the reference fixture: a text, its token ids and its embedding from sentence-transformers.
struct ReferenceEmbedding: Sendable, CustomTestStringConvertible {
    var text: String
    var tokenIDs: [Int32]
    var embedding: [Float]

    var testDescription: String { String(text.prefix(40)) }

    /// all-MiniLM-L6-v2's fixture: 40 texts.
    static let all = load("minilm-l6-v2-reference.jsonl")
    /// all-mpnet-base-v2's fixture: 12 texts (scripts/eval/reference-embeddings.py wrote it).
    static let mpnet = load("mpnet-base-v2-reference.jsonl")

    private static func load(_ fixture: String) -> [ReferenceEmbedding] {
        let path = Bundle.module.resourcePath! + "/Fixtures/" + fixture
        let text = try! String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").map { line in
            let value = try! JSONParser.parse(String(line))
            return ReferenceEmbedding(
                text: value["text"]!.stringValue!,
                tokenIDs: value["token_ids"]!.arrayValue!.map { Int32($0.intValue!) },
                embedding: value["embedding"]!.arrayValue!.map { Float($0.doubleValue!) })
        }
    }
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
