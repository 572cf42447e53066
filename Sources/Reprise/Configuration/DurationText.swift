/// Reads durations written for people: `90` or `90s` (seconds), `500ms`, `5m`, `24h`, `7d`, and
/// sums such as `1h30m`.
public enum DurationText {
    /// The duration `text` names, or `nil` when it is not one.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        if let seconds = Int(trimmed) { return seconds >= 0 ? .seconds(seconds) : nil }
        var total = Duration.zero
        var number = ""
        var unit = ""
        func flush() -> Bool {
            guard let value = Int(number) else { return false }
            switch unit {
            case "ms": total += .milliseconds(value)
            case "s": total += .seconds(value)
            case "m": total += .seconds(value * 60)
            case "h": total += .seconds(value * 3600)
            case "d": total += .seconds(value * 86400)
            default: return false
            }
            number = ""
            unit = ""
            return true
        }
        for character in trimmed {
            if character.isASCII, character.isNumber {
                if !unit.isEmpty, !flush() { return nil }
                number.append(character)
            } else if character.isLetter {
                unit.append(character)
            } else {
                return nil
            }
        }
        return flush() ? total : nil
    }

    /// A short spelling of `duration` in the largest whole unit: `300s` becomes `5m`.
    public static func format(_ duration: Duration) -> String {
        let milliseconds = Int(duration.components.seconds) * 1000 + Int(duration.components.attoseconds / 1_000_000_000_000_000)
        if milliseconds % 1000 != 0 { return "\(milliseconds)ms" }
        let seconds = milliseconds / 1000
        for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60)] where seconds != 0 && seconds % size == 0 {
            return "\(seconds / size)\(unit)"
        }
        return "\(seconds)s"
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}

extension Duration {
    /// Whole seconds, rounded down.
    public var wholeSeconds: Int { Int(components.seconds) }

    /// Fractional seconds.
    public var secondsValue: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// Fractional milliseconds.
    public var millisecondsValue: Double { secondsValue * 1000 }

    /// Milliseconds rounded to the microsecond, for logs and reports.
    public var roundedMilliseconds: Double { (millisecondsValue * 1000).rounded() / 1000 }
}
