/// A chart of values by category along the x axis: series drawn as grouped vertical bars or as lines,
/// against a left value axis and, when a series asks for it, a right one; with grid lines, tick labels,
/// category labels (thinned out when there are many) and a legend.
struct SVGColumnChart {
    var title: String
    /// What the chart shows, for screen readers.
    var summary: String
    var categories: [String]
    var series: [ChartSeries]
    var leftFormat: (Double) -> String
    var rightFormat: (Double) -> String = { String(format: $0, digits: 0) }
    /// Caps for the axes: 1 for shares.
    var leftCeiling: Double?
    var rightCeiling: Double?
    /// The smallest step between the left axis's ticks: 1 for counts.
    var leftMinimumStep = 0.0
    var width = 760.0
    var height = 320.0

    private var usesRightAxis: Bool { series.contains { $0.axis == .right } }

    var rendered: String {
        var canvas = SVGCanvas(width: width, height: height)
        let plot = (left: 70.0, right: width - (usesRightAxis ? 64 : 24), top: 44.0, bottom: height - 44)
        let leftScale = ChartScale(values: series.filter { $0.axis == .left }.flatMap(\.values), ceiling: leftCeiling, minimumStep: leftMinimumStep)
        let rightScale = ChartScale(values: series.filter { $0.axis == .right }.flatMap(\.values), ceiling: rightCeiling)
        let plotHeight = plot.bottom - plot.top
        func y(_ value: Double, _ axis: ChartSeries.Axis) -> Double {
            plot.bottom - (axis == .left ? leftScale : rightScale).position(of: value) * plotHeight
        }
        for tick in leftScale.ticks {
            canvas.line(from: (plot.left, y(tick, .left)), to: (plot.right, y(tick, .left)), stroke: ChartPalette.grid)
            canvas.text(leftFormat(tick), x: plot.left - 8, y: y(tick, .left) + 4, anchor: .end, size: 11, fill: ChartPalette.label)
        }
        if usesRightAxis {
            for tick in rightScale.ticks {
                canvas.text(rightFormat(tick), x: plot.right + 8, y: y(tick, .right) + 4, size: 11, fill: ChartPalette.label)
            }
        }
        canvas.line(from: (plot.left, plot.bottom), to: (plot.right, plot.bottom), stroke: ChartPalette.axis)
        let slot = (plot.right - plot.left) / Double(max(categories.count, 1))
        drawBars(on: &canvas, left: plot.left, slot: slot) { y($0, $1) }
        drawLines(on: &canvas, left: plot.left, slot: slot) { y($0, $1) }
        drawCategoryLabels(on: &canvas, left: plot.left, slot: slot, baseline: plot.bottom + 18)
        drawLegend(on: &canvas, x: plot.left, y: 20)
        return canvas.rendered(title: title, summary: summary)
    }

    private func drawBars(on canvas: inout SVGCanvas, left: Double, slot: Double, y: (Double, ChartSeries.Axis) -> Double) {
        let bars = series.filter { $0.mark == .bars }
        guard !bars.isEmpty else { return }
        let group = slot * (slot < 6 ? 1 : 0.72)
        let barWidth = group / Double(bars.count)
        for (number, bar) in bars.enumerated() {
            for (index, value) in bar.values.enumerated() where index < categories.count {
                let top = y(value, bar.axis)
                let x = left + Double(index) * slot + (slot - group) / 2 + Double(number) * barWidth
                let base = y(0, bar.axis)
                canvas.rectangle(x: x, y: top, width: max(barWidth - (barWidth > 4 ? 1 : 0), 0.5), height: base - top, fill: bar.color,
                                 title: "\(categories[index]) — \(bar.name): \(bar.format(value))")
            }
        }
    }

    private func drawLines(on canvas: inout SVGCanvas, left: Double, slot: Double, y: (Double, ChartSeries.Axis) -> Double) {
        for line in series where line.mark == .line {
            let points = line.values.prefix(categories.count).enumerated().map { index, value in
                (x: left + (Double(index) + 0.5) * slot, y: y(value, line.axis))
            }
            canvas.polyline(points, stroke: line.color, width: points.count > 200 ? 1.5 : 2.5)
            guard points.count <= 60 else { continue }
            for (index, point) in points.enumerated() {
                canvas.circle(x: point.x, y: point.y, radius: points.count == 1 ? 5 : 3.5, fill: line.color,
                              title: "\(categories[index]) — \(line.name): \(line.format(line.values[index]))")
            }
        }
    }

    private func drawCategoryLabels(on canvas: inout SVGCanvas, left: Double, slot: Double, baseline: Double) {
        guard !categories.isEmpty else { return }
        let longest = Double(categories.map(\.count).max() ?? 1)
        let spacing = max(40, longest * 6.5 + 14)
        let every = max(1, Int((spacing / max(slot, 0.001)).rounded(.up)))
        for index in stride(from: 0, to: categories.count, by: every) {
            canvas.text(categories[index], x: left + (Double(index) + 0.5) * slot, y: baseline, anchor: .middle, size: 11, fill: ChartPalette.label)
        }
    }

    private func drawLegend(on canvas: inout SVGCanvas, x start: Double, y: Double) {
        var x = start
        for entry in series {
            if entry.mark == .bars {
                canvas.rectangle(x: x, y: y - 10, width: 12, height: 12, fill: entry.color)
            } else {
                canvas.line(from: (x - 2, y - 4), to: (x + 14, y - 4), stroke: entry.color, width: 3)
            }
            let name = entry.name + (usesRightAxis ? (entry.axis == .left ? " (left axis)" : " (right axis)") : "")
            canvas.text(name, x: x + 18, y: y, size: 12, fill: "#111827")
            x += 18 + Double(name.count) * 7 + 22
        }
    }
}
