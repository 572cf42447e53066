import Testing
import RepriseSemantic

@Suite("all-MiniLM-L6-v2 against the reference", .enabled(if: TestModel.isAvailable, TestModel.absentReason))
struct MiniLMReferenceTests {
    @Test("the fixture holds the 40 reference texts")
    func fixture() {
        #expect(ReferenceEmbedding.all.count == 40)
        #expect(ReferenceEmbedding.all.allSatisfy { $0.embedding.count == 384 })
    }

    @Test("token ids equal the reference", arguments: ReferenceEmbedding.all)
    func tokenIDs(reference: ReferenceEmbedding) throws {
        let embedder = try #require(TestModel.embedder)
        #expect(embedder.tokenizer.tokenIDs(reference.text) == reference.tokenIDs)
    }

    @Test("every embedding has cosine ≥ 0.9999 with the reference, embedded in one batch")
    func embeddingsInBatch() async throws {
        let embedder = try #require(TestModel.embedder)
        let vectors = try await embedder.embed(ReferenceEmbedding.all.map(\.text))
        for (reference, vector) in zip(ReferenceEmbedding.all, vectors) {
            #expect(vector.count == 384)
            #expect(cosine(vector, reference.embedding) >= 0.9999, "\(reference.text.prefix(60))")
        }
    }

    @Test("a text embeds the same alone as in a batch of texts of other lengths")
    func batchIndependence() async throws {
        let embedder = try #require(TestModel.embedder)
        let texts = ReferenceEmbedding.all.prefix(6).map(\.text)
        let batch = try await embedder.embed(texts)
        for (text, vector) in zip(texts, batch) {
            let alone = try await embedder.embed(text)
            #expect(cosine(alone, vector) > 0.999_999)
        }
    }

    @Test("vectors are unit length")
    func normalized() async throws {
        let embedder = try #require(TestModel.embedder)
        let vector = try await embedder.embed("How do I reset my password?")
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) < 1e-5)
    }
}
