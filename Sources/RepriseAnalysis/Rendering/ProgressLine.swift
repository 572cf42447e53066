/// The one-line progress bar `reprise analyze` draws on standard error while it reads a large input:
/// `[██████████░░░░░░░░░░]  52%  1,204,332 lines  41,200 lines/s  about 9 s left`.
public struct ProgressLine: Sendable {
    /// Characters of the bar itself.
    public var width = 24

    public init(width: Int = 24) {
        self.width = max(1, width)
    }

    /// The line for `progress` after `elapsed` seconds, without a line ending.
    public func rendered(_ progress: UsageLogProgress, elapsed: Double) -> String {
        let fraction = progress.fraction
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        var line = "[\(bar)] \(String(format: fraction * 100, digits: 0).leftPadded(to: 3))%  \(Self.grouped(progress.linesRead)) lines"
        if elapsed > 0 {
            line += "  \(Self.grouped(Int(Double(progress.linesRead) / elapsed))) lines/s"
            if fraction > 0.01, fraction < 1 {
                let remaining = elapsed / fraction - elapsed
                line += "  about \(Self.duration(remaining)) left"
            }
        }
        return line
    }

    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var result = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        return whole < 60 ? "\(whole) s" : "\(whole / 60) min \(whole % 60) s"
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: " ", count: length - count) + self
    }
}
