/// A value axis from zero to a round number above the largest value, with evenly spaced round ticks.
///
/// Never divides by zero: an axis over nothing but zeros (or non-finite values) runs from 0 to 1.
struct ChartScale: Sendable {
    /// The top of the axis.
    let maximum: Double
    /// Tick values from 0 to ``maximum``, inclusive.
    let ticks: [Double]

    /// A scale that holds every finite value of `values` (negative values count as zero), with about
    /// `tickCount` ticks; `ceiling` caps the axis (1 for shares, which never exceed 100%) and
    /// `minimumStep` keeps ticks apart (1 for counts, which have no fractions).
    init(values: [Double], tickCount: Int = 4, ceiling: Double? = nil, minimumStep: Double = 0) {
        let largest = values.filter(\.isFinite).max() ?? 0
        guard largest > 0 else {
            maximum = ceiling.map { min($0, 1) } ?? 1
            ticks = Self.ticks(upTo: maximum, step: max(maximum / Double(max(tickCount, 1)), min(minimumStep, maximum)))
            return
        }
        let step = max(Self.roundStep(largest / Double(max(tickCount, 1))), minimumStep)
        var top = (largest / step).rounded(.up) * step
        if let ceiling, top > ceiling { top = ceiling }
        if !top.isFinite || top < largest { top = largest }
        maximum = top
        ticks = Self.ticks(upTo: top, step: step)
    }

    /// Where `value` falls on the axis, from 0 (bottom) to 1 (top), clamped; 0 for non-finite values.
    func position(of value: Double) -> Double {
        guard value.isFinite, maximum > 0 else { return 0 }
        return min(max(value / maximum, 0), 1)
    }

    /// The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least `raw`.
    private static func roundStep(_ raw: Double) -> Double {
        guard raw.isNormal else { return 1 }
        var magnitude = 1.0
        while magnitude * 10 <= raw { magnitude *= 10 }
        while magnitude > raw { magnitude /= 10 }
        for factor in [1.0, 2, 2.5, 5, 10] where magnitude * factor >= raw - raw * 1e-9 { return magnitude * factor }
        return magnitude * 10
    }

    private static func ticks(upTo top: Double, step: Double) -> [Double] {
        guard step > 0, top > 0 else { return [0] }
        var values: [Double] = []
        var value = 0.0
        while value <= top + step * 1e-6, values.count <= 20 {
            values.append(value)
            value += step
        }
        return values
    }
}
