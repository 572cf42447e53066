/// The built-in sentence embedder: all-MiniLM-L6-v2 run in pure Swift on the CPU, 384 dimensions.
///
/// Loads `vocab.txt` and `model.safetensors` from a model directory (see ``ModelInstaller``). Texts are cut to
/// 256 tokens, as sentence-transformers does for this model. The vectors match the reference implementation
/// to a cosine similarity of at least 0.9999.
public struct MiniLMEmbedder: Embedder {
    /// The model's name on the Hugging Face hub and the folder it is installed into.
    public static let modelName = "all-MiniLM-L6-v2"
    /// Texts per forward pass; larger batches are split so working memory stays bounded.
    public static let batchSize = 32

    public let tokenizer: WordPieceTokenizer
    private let encoder: MiniLMEncoder

    public var dimension: Int { MiniLMEncoder.hidden }

    /// Loads the model from `directory`, which holds `vocab.txt` and `model.safetensors`.
    ///
    /// - Throws: ``SemanticModelError`` naming the missing or corrupt file (and tensor).
    public init(modelDirectory directory: String) throws(SemanticModelError) {
        let vocabulary = try WordPieceVocabulary(contentsOf: directory + "/" + ModelInstaller.vocabularyFile)
        let weights = try SafeTensorsFile(contentsOf: directory + "/" + ModelInstaller.weightsFile)
        let encoder = try MiniLMEncoder(weights: weights)
        guard vocabulary.count <= encoder.vocabularySize else {
            throw .corruptFile(
                directory + "/" + ModelInstaller.vocabularyFile,
                reason: "it has \(vocabulary.count) tokens but the weights only \(encoder.vocabularySize)")
        }
        self.tokenizer = WordPieceTokenizer(vocabulary: vocabulary)
        self.encoder = encoder
    }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        embedNow(texts)
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

    /// Embeds already tokenised sequences (each with `[CLS]` and `[SEP]`); ids past 512 are dropped.
    func embed(tokenIDs sequences: [[Int32]]) -> [[Float]] {
        encoder.encode(sequences.map { Array($0.prefix(MiniLMEncoder.maximumPositions)) })
    }
}
