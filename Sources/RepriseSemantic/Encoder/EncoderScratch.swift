/// Working memory for the encoder's layers, grown as needed and reused from layer to layer.
struct EncoderScratch {
    private var queryKeyValue: [Float] = []
    private var context: [Float] = []
    private var projected: [Float] = []
    private var expanded: [Float] = []
    private var scores: [Float] = []

    /// Makes room for `rows` tokens.
    mutating func reserve(rows: Int, hidden: Int, intermediate: Int) {
        func grow(_ buffer: inout [Float], to count: Int) {
            if buffer.count < count { buffer = [Float](repeating: 0, count: count) }
        }
        grow(&queryKeyValue, to: rows * hidden * 3)
        grow(&context, to: rows * hidden)
        grow(&projected, to: rows * hidden)
        grow(&expanded, to: rows * intermediate)
        grow(&scores, to: rows)
    }

    /// Lends the buffers: query/key/value, attention context, projection output, feed-forward, attention scores.
    mutating func withBuffers(
        _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
                 UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void
    ) {
        queryKeyValue.withUnsafeMutableBufferPointer { qkv in
            context.withUnsafeMutableBufferPointer { context in
                projected.withUnsafeMutableBufferPointer { projected in
                    expanded.withUnsafeMutableBufferPointer { expanded in
                        scores.withUnsafeMutableBufferPointer { scores in
                            body(qkv.baseAddress!, context.baseAddress!, projected.baseAddress!, expanded.baseAddress!, scores.baseAddress!)
                        }
                    }
                }
            }
        }
    }
}
