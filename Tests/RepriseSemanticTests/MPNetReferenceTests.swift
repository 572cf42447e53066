import Foundation
import Testing

@testable import RepriseSemantic

@Suite("all-mpnet-base-v2 against the reference", .enabled(if: TestMPNetModel.isAvailable, TestMPNetModel.absentReason))
struct MPNetReferenceTests {
    @Test("the fixture holds the 12 reference texts, one cut at 384 tokens")
    func fixture() {
        #expect(ReferenceEmbedding.mpnet.count == 12)
        #expect(ReferenceEmbedding.mpnet.allSatisfy { $0.embedding.count == 768 })
        #expect(ReferenceEmbedding.mpnet.map(\.tokenIDs.count).max() == 384)
    }

    @Test("token ids equal the reference: <s> … </s>, [UNK], literal special tokens, the cut", arguments: ReferenceEmbedding.mpnet)
    func tokenIDs(reference: ReferenceEmbedding) throws {
        let embedder = try #require(TestMPNetModel.embedder)
        #expect(embedder.tokenizer.tokenIDs(reference.text) == reference.tokenIDs)
    }

    @Test("every embedding has cosine ≥ 0.9999 with the reference, embedded in one batch")
    func embeddingsInBatch() async throws {
        let embedder = try #require(TestMPNetModel.embedder)
        let vectors = try await embedder.embed(ReferenceEmbedding.mpnet.map(\.text))
        for (reference, vector) in zip(ReferenceEmbedding.mpnet, vectors) {
            #expect(vector.count == 768)
            #expect(cosine(vector, reference.embedding) >= 0.9999, "\(reference.text.prefix(60))")
        }
    }

    @Test("MiniLM's files are refused as all-mpnet-base-v2, naming the vocabulary", .enabled(if: TestModel.isAvailable))
    func otherModelsFilesAreRefused() throws {
        let directory = try #require(TestModel.directory)
        #expect {
            try BuiltInEmbedder(model: .mpnet, modelDirectory: directory)
        } throws: { error in
            let message = (error as? SemanticModelError)?.message ?? ""
            return message.contains("vocab.txt") && message.contains("<s>")
        }
    }
}

@Suite("MPNet's relative position buckets")
struct RelativePositionBiasTests {
    /// The first relative position (key − query) of each bucket, from the reference's
    /// `MPNetEncoder.relative_position_bucket` over −600…600.
    static let referenceBoundaries: [(relative: Int, bucket: Int)] = [
        (-600, 15), (-90, 14), (-63, 13), (-45, 12), (-31, 11), (-22, 10), (-15, 9), (-11, 8), (-7, 7), (-6, 6), (-5, 5),
        (-4, 4), (-3, 3), (-2, 2), (-1, 1), (0, 0), (1, 17), (2, 18), (3, 19), (4, 20), (5, 21), (6, 22), (7, 23), (8, 24),
        (12, 25), (16, 26), (23, 27), (32, 28), (46, 29), (64, 30), (91, 31),
    ]

    @Test("every distance from −600 to 600 falls in the reference's bucket")
    func bucketsMatchTheReference() {
        var expected: [Int] = []
        for (index, boundary) in Self.referenceBoundaries.enumerated() {
            let end = index + 1 < Self.referenceBoundaries.count ? Self.referenceBoundaries[index + 1].relative : 601
            expected += Array(repeating: boundary.bucket, count: end - boundary.relative)
        }
        #expect((-600...600).map(RelativePositionBias.bucket) == expected)
    }

    @Test("the table adds each head's bias of the pair's bucket")
    func tableLooksUpHeadAndBucket() {
        let heads = 2
        // bias of bucket b for head h: 100 b + h
        let weight = (0..<RelativePositionBias.buckets).flatMap { bucket in (0..<heads).map { Float(100 * bucket + $0) } }
        let bias = RelativePositionBias(weight: weight, heads: heads, reach: 200)
        for (relative, bucket) in [(0, 0), (-3, 3), (3, 19), (-150, 15), (150, 31), (16, 26)] {
            for head in 0..<heads {
                let value = bias.withBiases(head: head) { biases, offset in biases[offset + relative] }
                #expect(value == Float(100 * bucket + head), "relative \(relative), head \(head)")
            }
        }
    }
}
