import Foundation
import Reprise
import RepriseSemantic
import Testing

@Suite("semantic evaluation")
struct SemanticEvaluationTests {
    /// Embeds each known text as a fixed unit vector in two dimensions.
    struct TableEmbedder: Embedder {
        let angles: [String: Float]
        var dimension: Int { 2 }
        func embed(_ texts: [String]) async throws -> [[Float]] {
            texts.map { [cos(angles[$0]!), sin(angles[$0]!)] }
        }
    }

    @Test("counts hits per threshold, with guards vetoing near misses")
    func figures() async throws {
        // Similarity is the cosine of the angle between the two texts' vectors.
        let embedder = TableEmbedder(angles: ["reset password": 0, "change password": 0.3, "order 1": 1, "order 2": 1.05, "weather": 2.5])
        let pairs = [
            LabeledPair(a: "reset password", b: "change password", same: true),  // cos 0.3 ≈ 0.955
            LabeledPair(a: "order 1", b: "order 2", same: false),  // cos 0.05 ≈ 0.999, vetoed by numbers
            LabeledPair(a: "reset password", b: "weather", same: false),  // far apart
        ]
        let scored = try await SemanticEvaluation.score(pairs, embedder: embedder, guards: SemanticGuards())
        #expect(scored.map(\.vetoed) == [false, true, false])
        let evaluation = SemanticEvaluation(scored: scored, thresholds: [0.9, 0.96])
        let plain = try #require(evaluation.row(threshold: 0.9, guarded: false))
        #expect((plain.truePositives, plain.falsePositives, plain.falseNegatives, plain.trueNegatives) == (1, 1, 0, 1))
        #expect(plain.precision == 0.5 && plain.recall == 1 && plain.falseHitRate == 0.5)
        let guarded = try #require(evaluation.row(threshold: 0.9, guarded: true))
        #expect(guarded.precision == 1 && guarded.recall == 1 && guarded.falseHitRate == 0)
        #expect(evaluation.threshold(maximumFalseHitRate: 0.01, guarded: true)?.threshold == 0.9)
        #expect(evaluation.threshold(maximumFalseHitRate: 0.01, guarded: false) == nil)
    }

    @Test("a bad pairs line is reported with file and line")
    func badLine() throws {
        let path = NSTemporaryDirectory() + "pairs-\(UUID().uuidString).jsonl"
        try Data("{\"a\":\"x\",\"b\":\"y\",\"same\":true}\n\n{\"a\":\"x\",\"same\":1}\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try LabeledPair.load(contentsOf: path) } throws: { "\($0)".contains(path) && "\($0)".contains("line 3") }
    }
}
