/// Layer normalisation over each row: `(x − mean) / sqrt(variance + ε) · weight + bias`.
struct LayerNorm: Sendable {
    let weight: [Float]
    let bias: [Float]
    let epsilon: Float

    /// Normalises `rows` rows of `weight.count` values in place.
    func apply(_ x: UnsafeMutablePointer<Float>, rows: Int) {
        let width = weight.count
        weight.withUnsafeBufferPointer { weight in
            bias.withUnsafeBufferPointer { bias in
                for row in 0..<rows {
                    let values = x + row * width
                    var sum: Float = 0
                    for index in 0..<width { sum += values[index] }
                    let mean = sum / Float(width)
                    var squares: Float = 0
                    for index in 0..<width {
                        let centered = values[index] - mean
                        squares += centered * centered
                    }
                    let scale = 1 / (squares / Float(width) + epsilon).squareRoot()
                    for index in 0..<width {
                        values[index] = (values[index] - mean) * scale * weight[index] + bias[index]
                    }
                }
            }
        }
    }
}
