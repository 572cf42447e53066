/// Writes the markup of one inline SVG image, element by element.
///
/// Every coordinate goes through ``number(_:)``, so the image never holds `nan` or `inf`, and every text
/// through ``String/htmlEscaped``, so a label taken from a log cannot add markup.
struct SVGCanvas {
    let width: Double
    let height: Double
    private(set) var elements: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// A coordinate or length with at most one decimal; 0 for NaN or infinity, clamped to ±1,000,000.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = (min(max(value, -1_000_000), 1_000_000) * 10).rounded()
        let whole = Int(tenths) / 10
        let fraction = abs(Int(tenths) % 10)
        let sign = tenths < 0 && whole == 0 ? "-" : ""
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// A filled rectangle, with a tooltip when `title` is given; negative sizes are drawn as zero.
    mutating func rectangle(x: Double, y: Double, width: Double, height: Double, fill: String, title: String? = nil) {
        let attributes = "x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(max(width, 0)))\" height=\"\(Self.number(max(height, 0)))\" fill=\"\(fill)\""
        if let title {
            elements.append("<rect \(attributes)><title>\(title.htmlEscaped)</title></rect>")
        } else {
            elements.append("<rect \(attributes)/>")
        }
    }

    /// A straight line; `dashed` for grid lines.
    mutating func line(from start: (x: Double, y: Double), to end: (x: Double, y: Double), stroke: String, width: Double = 1, dashed: Bool = false) {
        elements.append("<line x1=\"\(Self.number(start.x))\" y1=\"\(Self.number(start.y))\" x2=\"\(Self.number(end.x))\" y2=\"\(Self.number(end.y))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\"\(dashed ? " stroke-dasharray=\"3 3\"" : "")/>")
    }

    /// A line through `points`, in order.
    mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 2) {
        guard points.count > 1 else { return }
        let list = points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
        elements.append("<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\" stroke-linejoin=\"round\"/>")
    }

    /// A dot, with a tooltip when `title` is given.
    mutating func circle(x: Double, y: Double, radius: Double, fill: String, title: String? = nil) {
        let attributes = "cx=\"\(Self.number(x))\" cy=\"\(Self.number(y))\" r=\"\(Self.number(radius))\" fill=\"\(fill)\""
        if let title {
            elements.append("<circle \(attributes)><title>\(title.htmlEscaped)</title></circle>")
        } else {
            elements.append("<circle \(attributes)/>")
        }
    }

    enum Anchor: String { case start, middle, end }

    /// A line of text whose baseline starts, centres or ends at (`x`, `y`).
    mutating func text(_ text: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 12, fill: String = "#374151", bold: Bool = false) {
        elements.append("<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" text-anchor=\"\(anchor.rawValue)\" font-size=\"\(Self.number(size))\" fill=\"\(fill)\"\(bold ? " font-weight=\"600\"" : "")>\(text.htmlEscaped)</text>")
    }

    /// The finished `<svg>` element, sized to its container's width, with `title` as its accessible name
    /// and `summary` as its description.
    func rendered(title: String, summary: String) -> String {
        let label = title.htmlEscaped
        return "<svg class=\"chart\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" role=\"img\" aria-label=\"\(label)\">"
            + "<title>\(label)</title><desc>\(summary.htmlEscaped)</desc>"
            + elements.joined() + "</svg>"
    }
}
