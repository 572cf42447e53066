extension Int {
    /// The sum, held at `Int.max` or `Int.min` instead of trapping when it overflows: for running totals of
    /// counts that come from outside (an upstream's token usage, a log), which must never stop the process.
    public func addingSaturating(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// Adds `other`, holding the result at `Int.max` or `Int.min` instead of trapping.
    public mutating func addSaturating(_ other: Int) {
        self = addingSaturating(other)
    }
}
