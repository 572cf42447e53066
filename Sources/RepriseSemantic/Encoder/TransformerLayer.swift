import Foundation

/// One BERT or MPNet encoder layer: multi-head self-attention and a GELU feed-forward block, each followed by
/// a residual connection and layer normalisation.
struct TransformerLayer: Sendable {
    /// Query, key and value projections fused into one layer of three times the hidden width.
    let queryKeyValue: DenseLayer
    let attentionOutput: DenseLayer
    let attentionNorm: LayerNorm
    let intermediate: DenseLayer
    let output: DenseLayer
    let outputNorm: LayerNorm
    let heads: Int

    var hidden: Int { attentionOutput.outputs }

    /// Runs the layer over packed sequences: `hidden` holds every token of every sequence, one row each, and
    /// `sequences` gives each sequence's rows. Tokens attend only to tokens of their own sequence, which is what
    /// an attention mask over a padded batch computes, without the padding. MPNet's `positionBias` is added to
    /// every attention score.
    func apply(_ state: inout [Float], sequences: [Range<Int>], positionBias: RelativePositionBias?, scratch: inout EncoderScratch) {
        let rows = state.count / hidden
        let width = hidden
        scratch.reserve(rows: rows, hidden: width, intermediate: intermediate.outputs)
        state.withUnsafeMutableBufferPointer { state in
            let x = state.baseAddress!
            scratch.withBuffers { qkv, context, projected, expanded, scores in
                queryKeyValue.apply(x, rows: rows, into: qkv)
                for sequence in sequences {
                    attend(qkv: qkv, sequence: sequence, positionBias: positionBias, into: context, scores: scores)
                }
                attentionOutput.apply(context, rows: rows, into: projected)
                for index in 0..<(rows * width) { x[index] += projected[index] }
                attentionNorm.apply(x, rows: rows)
                intermediate.apply(x, rows: rows, into: expanded)
                GELU.apply(expanded, count: rows * intermediate.outputs)
                output.apply(expanded, rows: rows, into: projected)
                for index in 0..<(rows * width) { x[index] += projected[index] }
                outputNorm.apply(x, rows: rows)
            }
        }
    }

    /// Scaled dot-product attention of one sequence, every head, written into `context`.
    private func attend(qkv: UnsafeMutablePointer<Float>, sequence: Range<Int>, positionBias: RelativePositionBias?,
                        into context: UnsafeMutablePointer<Float>, scores: UnsafeMutablePointer<Float>) {
        for head in 0..<heads {
            if let positionBias {
                positionBias.withBiases(head: head) { biases, reach in
                    attendHead(head, qkv: qkv, sequence: sequence, biases: biases + reach, into: context, scores: scores)
                }
            } else {
                attendHead(head, qkv: qkv, sequence: sequence, biases: nil, into: context, scores: scores)
            }
        }
    }

    /// One head's attention; `biases[key − query]`, when given, is added to each score.
    private func attendHead(_ head: Int, qkv: UnsafeMutablePointer<Float>, sequence: Range<Int>, biases: UnsafePointer<Float>?,
                            into context: UnsafeMutablePointer<Float>, scores: UnsafeMutablePointer<Float>) {
        let width = hidden
        let stride = 3 * width
        let headWidth = width / heads
        let scale = 1 / Float(headWidth).squareRoot()
        let offset = head * headWidth
        for query in sequence {
            let q = qkv + query * stride + offset
            var largest = -Float.infinity
            for key in sequence {
                let k = qkv + key * stride + width + offset
                var dot: Float = 0
                for index in 0..<headWidth { dot += q[index] * k[index] }
                let score = dot * scale + (biases?[key - query] ?? 0)
                scores[key - sequence.lowerBound] = score
                largest = max(largest, score)
            }
            var total: Float = 0
            for position in 0..<sequence.count {
                let weight = Foundation.exp(scores[position] - largest)
                scores[position] = weight
                total += weight
            }
            let out = context + query * width + offset
            for index in 0..<headWidth { out[index] = 0 }
            for key in sequence {
                let v = qkv + key * stride + 2 * width + offset
                let weight = scores[key - sequence.lowerBound] / total
                for index in 0..<headWidth { out[index] += weight * v[index] }
            }
        }
    }
}
