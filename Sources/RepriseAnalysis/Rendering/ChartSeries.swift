/// One named run of values in a chart, one value per category, drawn as bars or as a line against the
/// chart's left or right value axis.
struct ChartSeries {
    enum Mark { case bars, line }
    enum Axis { case left, right }

    var name: String
    var values: [Double]
    var mark: Mark
    var axis: Axis
    /// A CSS colour.
    var color: String
    /// How a value reads in a tooltip and beside a bar: `12.5%`, `$3.20`.
    var format: (Double) -> String

    init(_ name: String, values: [Double], mark: Mark = .bars, axis: Axis = .left, color: String, format: @escaping (Double) -> String) {
        self.name = name
        self.values = values
        self.mark = mark
        self.axis = axis
        self.color = color
        self.format = format
    }

    /// Whether any value is above zero (a chart of nothing but zeros shows nothing worth drawing).
    var hasData: Bool { values.contains { $0.isFinite && $0 > 0 } }
}

/// The report's chart colours: distinct in light mode and for the common colour-vision deficiencies.
enum ChartPalette {
    static let exact = "#2563eb"
    static let normalized = "#f59e0b"
    static let spend = "#94a3b8"
    static let saved = "#059669"
    static let requests = "#93c5fd"
    static let repeatRate = "#c2410c"
    static let grid = "#e5e7eb"
    static let axis = "#9ca3af"
    static let label = "#4b5563"
}
