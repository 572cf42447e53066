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

    @Test("the most precise threshold reaching a recall, at any similarity; ties taken together; the guards' ceiling")
    func mostPrecise() throws {
        let scored = [
            SemanticEvaluation.Scored(same: true, similarity: 0.95, vetoes: []),
            SemanticEvaluation.Scored(same: false, similarity: 0.90, vetoes: [.numbers]),
            SemanticEvaluation.Scored(same: true, similarity: 0.85, vetoes: []),
            SemanticEvaluation.Scored(same: false, similarity: 0.85, vetoes: []),
            SemanticEvaluation.Scored(same: true, similarity: 0.75, vetoes: [.numbers]),
            SemanticEvaluation.Scored(same: false, similarity: 0.60, vetoes: []),
        ]
        let evaluation = SemanticEvaluation(scored: scored)
        // A third of the same pairs: 0.95 alone, precision 100%.
        let third = try #require(evaluation.mostPrecise(reachingRecall: 0.3, guarded: false))
        #expect(third.threshold == Double(Float(0.95)) && third.precision == 1)
        // Two thirds: 0.85 gives 2 of 4, but going on to 0.75 gives 3 of 5, the more precise.
        let twoThirds = try #require(evaluation.mostPrecise(reachingRecall: 0.66, guarded: false))
        #expect(twoThirds.threshold == Double(Float(0.75)) && (twoThirds.truePositives, twoThirds.falsePositives) == (3, 2))
        // With guards the 0.90 near miss is vetoed; at 0.85 the different pair tying with a same one comes
        // along (2 of 3); the vetoed 0.75 pair caps recall at two thirds.
        let guarded = try #require(evaluation.mostPrecise(reachingRecall: 0.66, guarded: true))
        #expect((guarded.truePositives, guarded.falsePositives, guarded.trueNegatives) == (2, 1, 2))
        #expect(evaluation.guardedRecallCeiling == 2.0 / 3.0)
        #expect(evaluation.mostPrecise(reachingRecall: 1, guarded: true) == nil)
        #expect(evaluation.mostPrecise(reachingRecall: 1, guarded: false)?.falsePositives == 2)
    }

    @Test("every vetoing guard is recorded, so the figures without any one guard follow from the same scores")
    func withoutOneGuard() async throws {
        let embedder = TableEmbedder(angles: ["Is order 1 shipped to Paris": 0, "Is order 2 shipped to Rome": 0.1, "Is order 1 not shipped": 0.2])
        let pairs = [
            LabeledPair(a: "Is order 1 shipped to Paris", b: "Is order 2 shipped to Rome", same: true),  // numbers and entities veto
            LabeledPair(a: "Is order 1 shipped to Paris", b: "Is order 1 not shipped", same: false),  // negation (and entities) veto
        ]
        let scored = try await SemanticEvaluation.score(pairs, embedder: embedder, guards: SemanticGuards())
        #expect(scored[0].vetoes == [.numbers, .entities])
        #expect(scored[1].vetoes.contains(.negation))
        let evaluation = SemanticEvaluation(scored: scored, thresholds: [0.9])
        #expect(evaluation.guardedRecallCeiling == 0)
        #expect(evaluation.without(.numbers).guardedRecallCeiling == 0)
        let neither = evaluation.without(.numbers).without(.entities)
        #expect(neither.guardedRecallCeiling == 1)
        #expect(neither.row(threshold: 0.9, guarded: true)?.truePositives == 1)
        #expect(neither.row(threshold: 0.9, guarded: true)?.falsePositives == 0)
        #expect(neither.row(threshold: 0.9, guarded: false) == evaluation.row(threshold: 0.9, guarded: false))
    }

    @Test("a bad pairs line is reported with file and line")
    func badLine() throws {
        let path = NSTemporaryDirectory() + "pairs-\(UUID().uuidString).jsonl"
        try Data("{\"a\":\"x\",\"b\":\"y\",\"same\":true}\n\n{\"a\":\"x\",\"same\":1}\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect { try LabeledPair.load(contentsOf: path) } throws: { "\($0)".contains(path) && "\($0)".contains("line 3") }
    }
}
