/// A horizontal bar chart for named items with long names (models, prompts): one row per item, its
/// name on the left, one bar per series with its value printed at the bar's end, a value axis below and
/// a legend above when there is more than one series.
struct SVGBarListChart {
    var title: String
    /// What the chart shows, for screen readers.
    var summary: String
    var labels: [String]
    var series: [ChartSeries]
    var axisFormat: (Double) -> String
    var width = 760.0
    /// Names longer than this are cut with an ellipsis.
    var labelCharacters = 34
    /// The smallest step between axis ticks: 1 for counts.
    var minimumStep = 0.0

    var rendered: String {
        let barHeight = 14.0
        let rowHeight = barHeight * Double(max(series.count, 1)) + 10
        let top = series.count > 1 ? 40.0 : 14.0
        let height = top + rowHeight * Double(labels.count) + 30
        var canvas = SVGCanvas(width: width, height: height)
        let plot = (left: 250.0, right: width - 90, top: top, bottom: top + rowHeight * Double(labels.count))
        let scale = ChartScale(values: series.flatMap(\.values), minimumStep: minimumStep)
        func x(_ value: Double) -> Double { plot.left + scale.position(of: value) * (plot.right - plot.left) }
        for tick in scale.ticks {
            canvas.line(from: (x(tick), plot.top), to: (x(tick), plot.bottom), stroke: ChartPalette.grid)
            canvas.text(axisFormat(tick), x: x(tick), y: plot.bottom + 18, anchor: .middle, size: 11, fill: ChartPalette.label)
        }
        for (row, label) in labels.enumerated() {
            let rowTop = plot.top + Double(row) * rowHeight + 5
            canvas.text(label.shortened(to: labelCharacters), x: plot.left - 10, y: rowTop + rowHeight / 2 - 1, anchor: .end, size: 12, fill: "#111827")
            for (number, entry) in series.enumerated() where row < entry.values.count {
                let value = entry.values[row]
                let barTop = rowTop + Double(number) * barHeight
                canvas.rectangle(x: plot.left, y: barTop, width: x(value) - plot.left, height: barHeight - 2, fill: entry.color,
                                 title: "\(label.shortened(to: 200)) — \(entry.name): \(entry.format(value))")
                canvas.text(entry.format(value), x: x(value) + 6, y: barTop + barHeight - 4, size: 11, fill: ChartPalette.label)
            }
        }
        canvas.line(from: (plot.left, plot.top), to: (plot.left, plot.bottom), stroke: ChartPalette.axis)
        if series.count > 1 {
            var legendX = plot.left
            for entry in series {
                canvas.rectangle(x: legendX, y: 10, width: 12, height: 12, fill: entry.color)
                canvas.text(entry.name, x: legendX + 18, y: 20, size: 12, fill: "#111827")
                legendX += 18 + Double(entry.name.count) * 7 + 22
            }
        }
        return canvas.rendered(title: title, summary: summary)
    }
}
