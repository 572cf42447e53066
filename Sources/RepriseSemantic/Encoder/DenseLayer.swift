import CRepriseKernels

/// A fully connected layer, `y = x·Wᵀ + b`, with its weights packed at load time for a fast SIMD multiply.
///
/// PyTorch stores a linear layer's weight as `outputs × inputs`. Here it is transposed and cut into panels of
/// ``panelWidth`` output columns, each panel stored input-major and contiguous, so the inner loop of the
/// multiply streams one panel from memory while four rows of `x` accumulate in registers.
struct DenseLayer: Sendable {
    static let panelWidth = 8
    typealias Lane = SIMD8<Float>

    let inputs: Int
    let outputs: Int
    /// `outputs / panelWidth` panels of `inputs × panelWidth` floats.
    private let panels: [Float]
    private let bias: [Float]

    /// Packs a PyTorch-layout weight (`outputs × inputs`, row-major) and its bias.
    init(weight: [Float], bias: [Float], inputs: Int, outputs: Int) {
        precondition(outputs % Self.panelWidth == 0, "output width must be a multiple of \(Self.panelWidth)")
        precondition(weight.count == inputs * outputs && bias.count == outputs)
        let width = Self.panelWidth
        var panels = [Float](repeating: 0, count: inputs * outputs)
        for panel in 0..<(outputs / width) {
            for input in 0..<inputs {
                for lane in 0..<width {
                    panels[(panel * inputs + input) * width + lane] = weight[(panel * width + lane) * inputs + input]
                }
            }
        }
        self.inputs = inputs
        self.outputs = outputs
        self.panels = panels
        self.bias = bias
    }

    /// Computes `rows` output rows from `rows` input rows (both row-major, contiguous).
    ///
    /// On a CPU with AVX2 and FMA (checked once, at run time) the C kernel does the multiply: Swift compiles for
    /// the baseline x86-64 target, where `SIMD8<Float>` runs as two SSE operations without fused multiply-add.
    /// Elsewhere, unoptimised (debug) builds take the plain loop: there, generic SIMD operations are not
    /// specialised and run about ten times slower than scalar code, which would make the model tests take
    /// hours. Every path is checked equal by the tests.
    ///
    /// - Complexity: O(rows × inputs × outputs).
    func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        if Self.hasFusedKernel, outputs % (2 * Self.panelWidth) == 0 {
            applyFused(x, rows: rows, into: y)
            return
        }
        #if DEBUG
        applyPlain(x, rows: rows, into: y)
        #else
        applyVectorized(x, rows: rows, into: y)
        #endif
    }

    /// Whether this CPU runs the AVX2 and FMA kernel.
    static let hasFusedKernel = reprise_dense_avx2_available()

    /// The multiply by the C kernel, eight accumulators of 8 lanes (four rows × two panels) with fused
    /// multiply-add; only where ``hasFusedKernel`` and the outputs are a multiple of 16.
    func applyFused(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        precondition(Self.hasFusedKernel && outputs % (2 * Self.panelWidth) == 0)
        panels.withUnsafeBufferPointer { panels in
            bias.withUnsafeBufferPointer { bias in
                reprise_dense_avx2(x, rows, inputs, outputs, panels.baseAddress!, bias.baseAddress!, y)
            }
        }
    }

    /// The multiply as one scalar loop over the same packed weights.
    func applyPlain(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        let width = Self.panelWidth
        panels.withUnsafeBufferPointer { panels in
            for row in 0..<rows {
                let input = x + row * inputs
                let output = y + row * outputs
                for column in 0..<outputs { output[column] = bias[column] }
                for panel in 0..<(outputs / width) {
                    let out = output + panel * width
                    var weights = panels.baseAddress! + panel * inputs * width
                    for index in 0..<inputs {
                        let value = input[index]
                        for lane in 0..<width { out[lane] += weights[lane] * value }
                        weights += width
                    }
                }
            }
        }
    }

    /// The multiply with four rows and one 16-lane panel accumulating in registers at a time.
    func applyVectorized(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        panels.withUnsafeBufferPointer { panels in
            bias.withUnsafeBufferPointer { bias in
                for panel in 0..<(outputs / Self.panelWidth) {
                    let weights = panels.baseAddress! + panel * inputs * Self.panelWidth
                    let start = Lane(bias[(panel * Self.panelWidth)..<((panel + 1) * Self.panelWidth)])
                    let column = panel * Self.panelWidth
                    var row = 0
                    while row + 4 <= rows {
                        multiplyFourRows(x + row * inputs, weights, start, y + row * outputs + column)
                        row += 4
                    }
                    while row < rows {
                        multiplyOneRow(x + row * inputs, weights, start, y + row * outputs + column)
                        row += 1
                    }
                }
            }
        }
    }

    @inline(__always)
    private func multiplyFourRows(_ x: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ start: Lane, _ y: UnsafeMutablePointer<Float>) {
        var sum0 = start, sum1 = start, sum2 = start, sum3 = start
        let x0 = x, x1 = x + inputs, x2 = x + 2 * inputs, x3 = x + 3 * inputs
        var w = UnsafeRawPointer(weights)
        for input in 0..<inputs {
            let lane = w.loadUnaligned(as: Lane.self)
            sum0 += lane * x0[input]
            sum1 += lane * x1[input]
            sum2 += lane * x2[input]
            sum3 += lane * x3[input]
            w += MemoryLayout<Lane>.size
        }
        store(sum0, y)
        store(sum1, y + outputs)
        store(sum2, y + 2 * outputs)
        store(sum3, y + 3 * outputs)
    }

    @inline(__always)
    private func multiplyOneRow(_ x: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ start: Lane, _ y: UnsafeMutablePointer<Float>) {
        var sum = start
        var w = UnsafeRawPointer(weights)
        for input in 0..<inputs {
            sum += w.loadUnaligned(as: Lane.self) * x[input]
            w += MemoryLayout<Lane>.size
        }
        store(sum, y)
    }

    @inline(__always)
    private func store(_ lane: Lane, _ y: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(y).storeBytes(of: lane, as: Lane.self)
    }
}
