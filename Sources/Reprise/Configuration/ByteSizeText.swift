/// Reads sizes written for people: `1048576`, `512KiB`, `256MiB`, `1GiB` (also `KB`, `MB`, `GB` as
/// powers of 1000).
public enum ByteSizeText {
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.filter { !$0.isWhitespace }
        if let bytes = Int(trimmed) { return bytes >= 0 ? bytes : nil }
        let digits = trimmed.prefix(while: \.isNumber)
        guard let value = Int(digits) else { return nil }
        let units: [String: Int] = [
            "b": 1, "kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "kb": 1000, "mb": 1_000_000, "gb": 1_000_000_000,
        ]
        guard let unit = units[trimmed.dropFirst(digits.count).lowercased()] else { return nil }
        return value.multipliedReportingOverflow(by: unit).overflow ? nil : value * unit
    }

    /// `bytes` in the largest binary unit that divides it: `268435456` is `256MiB`.
    public static func format(_ bytes: Int) -> String {
        for (unit, size) in [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes != 0 && bytes % size == 0 {
            return "\(bytes / size)\(unit)"
        }
        return "\(bytes)"
    }
}
