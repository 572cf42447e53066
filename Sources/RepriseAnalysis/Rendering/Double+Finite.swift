extension Double {
    /// The value, or 0 when it is NaN or infinite, so no rendering ever prints `nan` or `inf`.
    var finiteOrZero: Double { isFinite ? self : 0 }
}
