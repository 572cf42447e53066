/// The BERT encoder of all-MiniLM-L6-v2 with sentence-transformers' pooling: token ids in, one L2-normalised
/// 384-dimension vector per sequence out.
///
/// Embeddings (word + position + token type, then LayerNorm), six encoder layers of 12-head self-attention,
/// then the mean of the last hidden states over each sequence's tokens, L2-normalised.
struct MiniLMEncoder: Sendable {
    static let hidden = 384
    static let heads = 12
    static let intermediate = 1536
    static let layerCount = 6
    static let maximumPositions = 512
    static let layerNormEpsilon: Float = 1e-12

    private let wordEmbeddings: [Float]
    private let positionEmbeddings: [Float]
    private let tokenTypeEmbedding: [Float]
    private let embeddingNorm: LayerNorm
    private let layers: [TransformerLayer]
    let vocabularySize: Int

    /// Reads every tensor the encoder needs, checking names and shapes.
    init(weights file: SafeTensorsFile) throws(SemanticModelError) {
        let hidden = Self.hidden
        guard let vocabularyShape = file.tensors["embeddings.word_embeddings.weight"]?.shape, vocabularyShape.count == 2,
            vocabularyShape[1] == hidden
        else {
            throw .badTensor("embeddings.word_embeddings.weight", in: file.path, reason: "is missing or not of shape [vocabulary, \(hidden)]")
        }
        vocabularySize = vocabularyShape[0]
        wordEmbeddings = try file.floats("embeddings.word_embeddings.weight", shape: vocabularyShape)
        positionEmbeddings = try file.floats("embeddings.position_embeddings.weight", shape: [Self.maximumPositions, hidden])
        tokenTypeEmbedding = Array(try file.floats("embeddings.token_type_embeddings.weight", shape: [2, hidden]).prefix(hidden))
        embeddingNorm = try Self.layerNorm(file, "embeddings.LayerNorm")
        layers = try (0..<Self.layerCount).map { index throws(SemanticModelError) in try Self.layer(file, index) }
    }

    private static func layerNorm(_ file: SafeTensorsFile, _ prefix: String) throws(SemanticModelError) -> LayerNorm {
        LayerNorm(
            weight: try file.floats("\(prefix).weight", shape: [hidden]), bias: try file.floats("\(prefix).bias", shape: [hidden]),
            epsilon: layerNormEpsilon)
    }

    private static func dense(_ file: SafeTensorsFile, _ prefix: String, inputs: Int, outputs: Int) throws(SemanticModelError) -> DenseLayer {
        DenseLayer(
            weight: try file.floats("\(prefix).weight", shape: [outputs, inputs]), bias: try file.floats("\(prefix).bias", shape: [outputs]),
            inputs: inputs, outputs: outputs)
    }

    private static func layer(_ file: SafeTensorsFile, _ index: Int) throws(SemanticModelError) -> TransformerLayer {
        let prefix = "encoder.layer.\(index)"
        var weight: [Float] = []
        var bias: [Float] = []
        for part in ["query", "key", "value"] {
            weight += try file.floats("\(prefix).attention.self.\(part).weight", shape: [hidden, hidden])
            bias += try file.floats("\(prefix).attention.self.\(part).bias", shape: [hidden])
        }
        return TransformerLayer(
            queryKeyValue: DenseLayer(weight: weight, bias: bias, inputs: hidden, outputs: 3 * hidden),
            attentionOutput: try dense(file, "\(prefix).attention.output.dense", inputs: hidden, outputs: hidden),
            attentionNorm: try layerNorm(file, "\(prefix).attention.output.LayerNorm"),
            intermediate: try dense(file, "\(prefix).intermediate.dense", inputs: hidden, outputs: intermediate),
            output: try dense(file, "\(prefix).output.dense", inputs: intermediate, outputs: hidden),
            outputNorm: try layerNorm(file, "\(prefix).output.LayerNorm"),
            heads: heads)
    }

    /// Embeds each token sequence; sequences may differ in length and are at most 512 tokens.
    ///
    /// - Complexity: O(L × d²) per sequence of L tokens for the projections, plus O(L² × d) for attention.
    func encode(_ sequences: [[Int32]]) -> [[Float]] {
        let hidden = Self.hidden
        var ranges: [Range<Int>] = []
        var start = 0
        for sequence in sequences {
            precondition(sequence.count <= Self.maximumPositions, "sequence longer than the model's positions")
            ranges.append(start..<(start + sequence.count))
            start += sequence.count
        }
        var state = [Float](repeating: 0, count: start * hidden)
        embed(sequences, into: &state)
        var scratch = EncoderScratch()
        for layer in layers {
            layer.apply(&state, sequences: ranges, scratch: &scratch)
        }
        return ranges.map { pool(state, rows: $0) }
    }

    private func embed(_ sequences: [[Int32]], into state: inout [Float]) {
        let hidden = Self.hidden
        var row = 0
        for sequence in sequences {
            for (position, token) in sequence.enumerated() {
                let id = Int(token) < vocabularySize && token >= 0 ? Int(token) : 0
                for index in 0..<hidden {
                    state[row * hidden + index] = wordEmbeddings[id * hidden + index] + positionEmbeddings[position * hidden + index]
                        + tokenTypeEmbedding[index]
                }
                row += 1
            }
        }
        state.withUnsafeMutableBufferPointer { embeddingNorm.apply($0.baseAddress!, rows: row) }
    }

    /// The mean of the rows' hidden states, L2-normalised (a zero vector stays zero).
    private func pool(_ state: [Float], rows: Range<Int>) -> [Float] {
        let hidden = Self.hidden
        var mean = [Float](repeating: 0, count: hidden)
        for row in rows {
            for index in 0..<hidden { mean[index] += state[row * hidden + index] }
        }
        let count = Float(max(rows.count, 1))
        var squares: Float = 0
        for index in 0..<hidden {
            mean[index] /= count
            squares += mean[index] * mean[index]
        }
        let norm = max(squares.squareRoot(), 1e-12)
        return mean.map { $0 / norm }
    }
}
