/// A built-in model's transformer encoder with sentence-transformers' pooling: token ids in, one
/// L2-normalised vector per sequence out.
///
/// Embeddings (word + position, plus BERT's token type, then LayerNorm), the encoder layers of multi-head
/// self-attention (with MPNet's relative position bias), then the mean of the last hidden states over each
/// sequence's tokens, L2-normalised.
struct SentenceEncoder: Sendable {
    let architecture: EncoderArchitecture
    private let wordEmbeddings: [Float]
    private let positionEmbeddings: [Float]
    /// BERT's token-type-0 embedding; zeros for MPNet, which has none.
    private let tokenTypeEmbedding: [Float]
    private let embeddingNorm: LayerNorm
    private let layers: [TransformerLayer]
    /// MPNet's, shared by every layer; BERT has none.
    private let positionBias: RelativePositionBias?
    let vocabularySize: Int

    var hidden: Int { architecture.hidden }

    /// Reads every tensor `architecture` needs, checking names and shapes.
    init(weights file: SafeTensorsFile, architecture: EncoderArchitecture) throws(SemanticModelError) {
        let hidden = architecture.hidden
        guard let vocabularyShape = file.tensors["embeddings.word_embeddings.weight"]?.shape, vocabularyShape.count == 2,
            vocabularyShape[1] == hidden
        else {
            throw .badTensor("embeddings.word_embeddings.weight", in: file.path, reason: "is missing or not of shape [vocabulary, \(hidden)]")
        }
        self.architecture = architecture
        vocabularySize = vocabularyShape[0]
        wordEmbeddings = try file.floats("embeddings.word_embeddings.weight", shape: vocabularyShape)
        positionEmbeddings = try file.floats("embeddings.position_embeddings.weight", shape: [architecture.positionRows, hidden])
        embeddingNorm = try Self.layerNorm(file, "embeddings.LayerNorm", architecture)
        layers = try (0..<architecture.layers).map { index throws(SemanticModelError) in try Self.layer(file, index, architecture) }
        switch architecture.family {
        case .bert:
            tokenTypeEmbedding = Array(try file.floats("embeddings.token_type_embeddings.weight", shape: [2, hidden]).prefix(hidden))
            positionBias = nil
        case .mpnet:
            tokenTypeEmbedding = [Float](repeating: 0, count: hidden)
            positionBias = RelativePositionBias(
                weight: try file.floats("encoder.relative_attention_bias.weight", shape: [RelativePositionBias.buckets, architecture.heads]),
                heads: architecture.heads, reach: architecture.maximumTokens)
        }
    }

    private static func layerNorm(_ file: SafeTensorsFile, _ prefix: String, _ architecture: EncoderArchitecture) throws(SemanticModelError)
        -> LayerNorm
    {
        LayerNorm(
            weight: try file.floats("\(prefix).weight", shape: [architecture.hidden]),
            bias: try file.floats("\(prefix).bias", shape: [architecture.hidden]), epsilon: architecture.layerNormEpsilon)
    }

    private static func dense(_ file: SafeTensorsFile, _ prefix: String, inputs: Int, outputs: Int) throws(SemanticModelError) -> DenseLayer {
        DenseLayer(
            weight: try file.floats("\(prefix).weight", shape: [outputs, inputs]), bias: try file.floats("\(prefix).bias", shape: [outputs]),
            inputs: inputs, outputs: outputs)
    }

    /// Encoder layer `index`, whose tensors BERT and MPNet name differently.
    private static func layer(_ file: SafeTensorsFile, _ index: Int, _ architecture: EncoderArchitecture) throws(SemanticModelError)
        -> TransformerLayer
    {
        let hidden = architecture.hidden
        let prefix = "encoder.layer.\(index)"
        let projections: [String]
        let attentionOutput: String
        let attentionNorm: String
        switch architecture.family {
        case .bert:
            projections = ["query", "key", "value"].map { "\(prefix).attention.self.\($0)" }
            attentionOutput = "\(prefix).attention.output.dense"
            attentionNorm = "\(prefix).attention.output.LayerNorm"
        case .mpnet:
            projections = ["q", "k", "v"].map { "\(prefix).attention.attn.\($0)" }
            attentionOutput = "\(prefix).attention.attn.o"
            attentionNorm = "\(prefix).attention.LayerNorm"
        }
        var weight: [Float] = []
        var bias: [Float] = []
        for projection in projections {
            weight += try file.floats("\(projection).weight", shape: [hidden, hidden])
            bias += try file.floats("\(projection).bias", shape: [hidden])
        }
        return TransformerLayer(
            queryKeyValue: DenseLayer(weight: weight, bias: bias, inputs: hidden, outputs: 3 * hidden),
            attentionOutput: try dense(file, attentionOutput, inputs: hidden, outputs: hidden),
            attentionNorm: try layerNorm(file, attentionNorm, architecture),
            intermediate: try dense(file, "\(prefix).intermediate.dense", inputs: hidden, outputs: architecture.intermediate),
            output: try dense(file, "\(prefix).output.dense", inputs: architecture.intermediate, outputs: hidden),
            outputNorm: try layerNorm(file, "\(prefix).output.LayerNorm", architecture),
            heads: architecture.heads)
    }

    /// Embeds each token sequence; sequences may differ in length and are at most
    /// ``EncoderArchitecture/maximumTokens`` long.
    ///
    /// - Complexity: O(L × d²) per sequence of L tokens for the projections, plus O(L² × d) for attention.
    func encode(_ sequences: [[Int32]]) -> [[Float]] {
        var ranges: [Range<Int>] = []
        var start = 0
        for sequence in sequences {
            precondition(sequence.count <= architecture.maximumTokens, "sequence longer than the model's positions")
            ranges.append(start..<(start + sequence.count))
            start += sequence.count
        }
        var state = [Float](repeating: 0, count: start * hidden)
        embed(sequences, into: &state)
        var scratch = EncoderScratch()
        for layer in layers {
            layer.apply(&state, sequences: ranges, positionBias: positionBias, scratch: &scratch)
        }
        return ranges.map { pool(state, rows: $0) }
    }

    private func embed(_ sequences: [[Int32]], into state: inout [Float]) {
        let hidden = hidden
        var row = 0
        for sequence in sequences {
            for (index, token) in sequence.enumerated() {
                let id = Int(token) < vocabularySize && token >= 0 ? Int(token) : 0
                let position = architecture.firstPosition + index
                for column in 0..<hidden {
                    state[row * hidden + column] = wordEmbeddings[id * hidden + column] + positionEmbeddings[position * hidden + column]
                        + tokenTypeEmbedding[column]
                }
                row += 1
            }
        }
        state.withUnsafeMutableBufferPointer { embeddingNorm.apply($0.baseAddress!, rows: row) }
    }

    /// The mean of the rows' hidden states, L2-normalised (a zero vector stays zero).
    private func pool(_ state: [Float], rows: Range<Int>) -> [Float] {
        let hidden = hidden
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
