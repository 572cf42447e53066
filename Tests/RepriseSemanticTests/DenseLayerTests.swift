import Foundation
import Testing
@testable import RepriseSemantic

@Suite("dense layer")
struct DenseLayerTests {
    /// `x·Wᵀ + b` computed the obvious way, from PyTorch's layout.
    func reference(x: [Float], weight: [Float], bias: [Float], rows: Int, inputs: Int, outputs: Int) -> [Float] {
        var y = [Float](repeating: 0, count: rows * outputs)
        for row in 0..<rows {
            for output in 0..<outputs {
                var sum = bias[output]
                for input in 0..<inputs { sum += x[row * inputs + input] * weight[output * inputs + input] }
                y[row * outputs + output] = sum
            }
        }
        return y
    }

    @Test("every multiply path equals the textbook product", arguments: [1, 3, 4, 7, 9])
    func matchesReference(rows: Int) {
        let inputs = 24, outputs = 48
        var generator = SystemRandomNumberGenerator()
        let weight = (0..<(inputs * outputs)).map { _ in Float.random(in: -1...1, using: &generator) }
        let bias = (0..<outputs).map { _ in Float.random(in: -1...1, using: &generator) }
        let x = (0..<(rows * inputs)).map { _ in Float.random(in: -1...1, using: &generator) }
        let layer = DenseLayer(weight: weight, bias: bias, inputs: inputs, outputs: outputs)
        let expected = reference(x: x, weight: weight, bias: bias, rows: rows, inputs: inputs, outputs: outputs)
        let paths = [layer.applyPlain, layer.applyVectorized] + (DenseLayer.hasFusedKernel ? [layer.applyFused] : [])
        for path in paths {
            var y = [Float](repeating: .nan, count: rows * outputs)
            x.withUnsafeBufferPointer { x in
                y.withUnsafeMutableBufferPointer { path(x.baseAddress!, rows, $0.baseAddress!) }
            }
            for index in y.indices { #expect(abs(y[index] - expected[index]) < 1e-4) }
        }
    }

    @Test("the AVX2 and FMA kernel runs on this machine when its CPU has both", .enabled(if: hasAVX2AndFMA()))
    func fusedKernelIsChosen() {
        #expect(DenseLayer.hasFusedKernel)
    }
}

/// Whether /proc/cpuinfo lists both avx2 and fma (Linux; elsewhere, false).
private func hasAVX2AndFMA() -> Bool {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
    let flags = info.split(separator: "\n").first { $0.hasPrefix("flags") }.map { Set($0.split(separator: " ")) } ?? []
    return flags.contains("avx2") && flags.contains("fma")
}
