import Dispatch

/// A built-in sentence embedder: one of the ``BuiltInModel``s run in Swift on the CPU (the dense layers'
/// multiply in a C SIMD kernel where the CPU has AVX2 and FMA).
///
/// Loads `vocab.txt` and `model.safetensors` from a model directory (see ``ModelInstaller``). Texts are cut to
/// the model's ``BuiltInModel/maximumTokens``, as sentence-transformers does. The vectors match the reference
/// implementation to a cosine similarity of at least 0.9999.
public struct BuiltInEmbedder: Embedder {
    /// Texts per forward pass; larger batches are split so working memory stays bounded.
    public static let batchSize = 32

    public let model: BuiltInModel
    public let tokenizer: WordPieceTokenizer
    private let encoder: SentenceEncoder

    public var dimension: Int { model.dimension }

    /// Loads `model` from `directory`, which holds `vocab.txt` and `model.safetensors`.
    ///
    /// - Throws: ``SemanticModelError`` naming the missing or corrupt file (and tensor); files of another
    ///   model fail this way too, naming the first thing that does not fit.
    public init(model: BuiltInModel = .default, modelDirectory directory: String) throws(SemanticModelError) {
        let vocabulary = try WordPieceVocabulary(contentsOf: directory + "/" + ModelInstaller.vocabularyFile, special: model.specialTokens)
        let weights = try SafeTensorsFile(contentsOf: directory + "/" + ModelInstaller.weightsFile)
        let encoder = try SentenceEncoder(weights: weights, architecture: model.architecture)
        guard vocabulary.count <= encoder.vocabularySize else {
            throw .corruptFile(
                directory + "/" + ModelInstaller.vocabularyFile,
                reason: "it has \(vocabulary.count) tokens but the weights only \(encoder.vocabularySize)")
        }
        self.model = model
        self.tokenizer = WordPieceTokenizer(vocabulary: vocabulary, maximumLength: model.maximumTokens)
        self.encoder = encoder
    }

    /// Embeds on a thread of Dispatch's, not one of the few threads every task of the process shares: a
    /// batch takes milliseconds to minutes of arithmetic, which would otherwise hold up every other task.
    public func embed(_ texts: [String]) async throws -> [[Float]] {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: self.embedNow(texts)) }
        }
    }

    /// Embeds on the calling thread, without suspending; for benchmarks and batch jobs.
    public func embedNow(_ texts: [String]) -> [[Float]] {
        var vectors: [[Float]] = []
        vectors.reserveCapacity(texts.count)
        var start = 0
        while start < texts.count {
            let batch = texts[start..<min(start + Self.batchSize, texts.count)]
            vectors += encoder.encode(batch.map(tokenizer.tokenIDs))
            start += batch.count
        }
        return vectors
    }

    /// Embeds already tokenised sequences (each with its classifier and separator); ids past the model's
    /// positions are dropped.
    func embed(tokenIDs sequences: [[Int32]]) -> [[Float]] {
        encoder.encode(sequences.map { Array($0.prefix(model.architecture.maximumTokens)) })
    }
}
