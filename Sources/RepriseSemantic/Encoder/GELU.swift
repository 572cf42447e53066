import Foundation

/// The exact (erf) form of the Gaussian error linear unit, `x · ½ · (1 + erf(x / √2))`, as BERT uses it.
enum GELU {
    static func apply(_ values: UnsafeMutablePointer<Float>, count: Int) {
        let inverseRootTwo: Float = 0.70710678118654752
        for index in 0..<count {
            let x = values[index]
            values[index] = 0.5 * x * (1 + Foundation.erf(x * inverseRootTwo))
        }
    }
}
