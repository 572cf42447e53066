/// An exact JSON number in one normal form.
///
/// The value is kept as decimal digits and a power of ten, never through binary floating point, so
/// two spellings of the same value (`1`, `1.0`, `1e0`, `10e-1`) have the same ``canonical`` text and
/// large integers keep every digit. The canonical text follows the shape of ECMAScript's
/// `Number.prototype.toString`: plain digits while the decimal point is within 21 places, scientific
/// notation (`1.5e+30`, `2e-7`) beyond that. Negative zero is zero.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The normal form, used in canonical JSON and cache keys.
    public let canonical: String

    /// Creates a number from an already validated JSON number literal.
    init(validatedLiteral bytes: some Collection<UInt8>) {
        var negative = false
        var digits: [UInt8] = []
        digits.reserveCapacity(bytes.count)
        var fractionLength = 0
        var exponent = 0
        var exponentNegative = false
        var part = 0  // 0 integer, 1 fraction, 2 exponent
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "-") where part == 0: negative = true
            case UInt8(ascii: "-"): exponentNegative = true
            case UInt8(ascii: "+"): break
            case UInt8(ascii: "."): part = 1
            case UInt8(ascii: "e"), UInt8(ascii: "E"): part = 2
            default:
                let digit = byte &- UInt8(ascii: "0")
                if part == 2 {
                    // Exponents beyond a billion are not meaningful numbers; the parser rejects them first.
                    exponent = min(exponent &* 10 &+ Int(digit), 1_000_000_000)
                } else {
                    if part == 1 { fractionLength += 1 }
                    digits.append(digit)
                }
            }
        }
        if exponentNegative { exponent = -exponent }
        self.canonical = Self.format(negative: negative, digits: digits, exponent: exponent - fractionLength)
    }

    /// Creates a number from an integer.
    public init(_ value: Int) {
        self.canonical = String(value)
    }

    /// Creates a number from a double, through its shortest round-tripping decimal spelling.
    public init(_ value: Double) {
        let text = value.isFinite ? "\(value)" : "0"
        self.init(validatedLiteral: Array(text.utf8))
    }

    public var description: String { canonical }

    /// The value as an integer when it is a whole number that fits in `Int`.
    public var intValue: Int? { Int(canonical) }

    /// The value as a `Double`, rounded to the nearest representable one.
    public var doubleValue: Double { Double(canonical) ?? 0 }

    private static func format(negative: Bool, digits rawDigits: [UInt8], exponent rawExponent: Int) -> String {
        guard let first = rawDigits.firstIndex(where: { $0 != 0 }) else { return "0" }
        let last = rawDigits.lastIndex(where: { $0 != 0 })!
        let digits = rawDigits[first...last].map { Character(Unicode.Scalar($0 + UInt8(ascii: "0"))) }
        let exponent = rawExponent + (rawDigits.count - 1 - last)
        let count = digits.count
        // The position of the decimal point counted from the first significant digit.
        let point = count + exponent
        var text = negative ? "-" : ""
        if count <= point && point <= 21 {
            text += String(digits) + String(repeating: "0", count: point - count)
        } else if 0 < point && point <= 21 {
            text += String(digits[0..<point]) + "." + String(digits[point...])
        } else if -6 < point && point <= 0 {
            text += "0." + String(repeating: "0", count: -point) + String(digits)
        } else {
            text.append(digits[0])
            if count > 1 { text += "." + String(digits[1...]) }
            let scientific = point - 1
            text += scientific < 0 ? "e-\(-scientific)" : "e+\(scientific)"
        }
        return text
    }
}
