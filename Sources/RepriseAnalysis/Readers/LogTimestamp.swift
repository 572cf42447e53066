import Reprise

/// Reads the times logs write: Unix seconds, milliseconds, microseconds or nanoseconds (as numbers or
/// numeric strings, fractions kept exactly), and calendar times such as `2024-05-01T12:00:00Z`,
/// `2024-05-01T14:00:00.250+02:00` or `2023-11-16 18:15:46.6805900` (no zone: UTC).
enum LogTimestamp {
    /// The unit of a numeric time.
    enum Unit {
        case seconds
        case milliseconds
        /// From the magnitude: below 10¹¹ seconds, then milliseconds, microseconds, nanoseconds (10¹¹
        /// seconds is the year 5138, while 10¹¹ milliseconds is 1973).
        case inferred
    }

    /// The instant `value` writes; `nil` for `null` or an empty string.
    /// - Throws: ``LineRejection`` quoting a value that is not a time.
    static func instant(from value: JSONValue, unit: Unit = .inferred) throws(LineRejection) -> EpochInstant? {
        switch value {
        case .null:
            return nil
        case .number(let number):
            guard let instant = instant(numeral: number.canonical, unit: unit) else {
                throw LineRejection("timestamp \(number.canonical) is out of range")
            }
            return instant
        case .string(let text):
            if text.isEmpty { return nil }
            guard let instant = instant(text: text, unit: unit) else {
                throw LineRejection("unreadable timestamp '\(text.prefix(40))'")
            }
            return instant
        default:
            throw LineRejection("timestamp must be a number or a string")
        }
    }

    /// The instant `text` writes, numeric or calendar; `nil` when it is neither.
    static func instant(text: String, unit: Unit = .inferred) -> EpochInstant? {
        let trimmed = text.trimmingSpaces
        guard let first = trimmed.utf8.first else { return nil }
        let looksNumeric = first == UInt8(ascii: "-") || !trimmed.utf8.contains(UInt8(ascii: "-"))
        if looksNumeric, let instant = instant(numeral: trimmed, unit: unit) { return instant }
        return instant(calendar: Array(trimmed.utf8))
    }

    /// A decimal numeral read exactly (scientific notation through `Double`, to a whole unit).
    static func instant(numeral text: some StringProtocol, unit: Unit) -> EpochInstant? {
        let bytes = Array(text.utf8)
        let negative = bytes.first == UInt8(ascii: "-")
        var index = negative ? 1 : 0
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        var whole: Int64 = 0
        var integerDigits = 0
        while index < bytes.count, isDigit(bytes[index]) {
            guard integerDigits < 18 else { return nil }
            whole = whole * 10 + Int64(bytes[index] - 0x30)
            integerDigits += 1
            index += 1
        }
        // The fraction in billionths of the unit, to nine digits.
        var fraction: Int64 = 0
        var fractionDigits = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < bytes.count, isDigit(bytes[index]) {
                if fractionDigits < 9 { fraction = fraction * 10 + Int64(bytes[index] - 0x30) }
                fractionDigits += 1
                index += 1
            }
        }
        guard integerDigits + fractionDigits > 0 else { return nil }
        if index < bytes.count {
            guard bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E"),
                let value = Double(String(text)), value.isFinite, abs(value) < 1e18
            else { return nil }
            return instant(numeral: String(Int64(value.rounded())), unit: unit)
        }
        for _ in min(fractionDigits, 9)..<9 { fraction *= 10 }
        return instant(whole: whole, nanosecondFraction: fraction, negative: negative, unit: unit)
    }

    private static func instant(whole: Int64, nanosecondFraction: Int64, negative: Bool, unit: Unit) -> EpochInstant? {
        // Nanoseconds per unit.
        let scale: Int64
        switch unit {
        case .seconds: scale = 1_000_000_000
        case .milliseconds: scale = 1_000_000
        case .inferred:
            let magnitude = whole
            if magnitude < 100_000_000_000 {
                scale = 1_000_000_000
            } else if magnitude < 100_000_000_000_000 {
                scale = 1_000_000
            } else if magnitude < 100_000_000_000_000_000 {
                scale = 1000
            } else {
                scale = 1
            }
        }
        let perSecond = 1_000_000_000 / scale
        let seconds = whole / perSecond
        let nanoseconds = (whole % perSecond) * scale + nanosecondFraction * scale / 1_000_000_000
        let duration = Duration.seconds(seconds) + .nanoseconds(nanoseconds)
        return EpochInstant(sinceEpoch: negative ? .zero - duration : duration)
    }

    /// `YYYY-MM-DD[(T| )hh:mm[:ss[.fraction]]][ ][Z|UTC|GMT|±hh[:]mm]`.
    static func instant(calendar bytes: [UInt8]) -> EpochInstant? {
        var index = 0
        func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + width)] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += width
            return value
        }
        func skip(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard let year = number(4), skip(UInt8(ascii: "-")), let month = number(2), skip(UInt8(ascii: "-")),
            let day = number(2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var secondOfDay = 0
        var nanoseconds: Int64 = 0
        if index < bytes.count, [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[index]),
            index + 1 < bytes.count, bytes[index + 1] >= 0x30, bytes[index + 1] <= 0x39
        {
            index += 1
            guard let hour = number(2), skip(UInt8(ascii: ":")), let minute = number(2), hour <= 24, minute <= 59 else { return nil }
            var second = 0
            if skip(UInt8(ascii: ":")) {
                guard let value = number(2), value <= 60 else { return nil }
                second = value
                if skip(UInt8(ascii: ".")) || skip(UInt8(ascii: ",")) {
                    var digits = 0
                    while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                        if digits < 9 { nanoseconds = nanoseconds * 10 + Int64(bytes[index] - 0x30) }
                        digits += 1
                        index += 1
                    }
                    guard digits > 0 else { return nil }
                    for _ in min(digits, 9)..<9 { nanoseconds *= 10 }
                }
            }
            secondOfDay = hour * 3600 + minute * 60 + second
        }
        guard let offset = zoneOffset(bytes, from: &index), index == bytes.count else { return nil }
        let seconds = Int64(daysSinceEpoch(year: year, month: month, day: day)) * 86_400 + Int64(secondOfDay - offset)
        return EpochInstant(sinceEpoch: .seconds(seconds) + .nanoseconds(nanoseconds))
    }

    /// The zone's offset from UTC in seconds (`0` when there is none).
    private static func zoneOffset(_ bytes: [UInt8], from index: inout Int) -> Int? {
        if index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
        guard index < bytes.count else { return 0 }
        let rest = String(decoding: bytes[index...], as: UTF8.self)
        if ["Z", "z", "UTC", "GMT"].contains(rest) {
            index = bytes.count
            return 0
        }
        let sign = bytes[index]
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        let digits = bytes[(index + 1)...].filter { $0 != UInt8(ascii: ":") }
        guard digits.count == 2 || digits.count == 4, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let values = digits.map { Int($0 - 0x30) }
        let hours = values[0] * 10 + values[1]
        let minutes = digits.count == 4 ? values[2] * 10 + values[3] : 0
        index = bytes.count
        return (sign == UInt8(ascii: "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days-from-civil).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        let text = Substring(self)
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = text.firstIndex(where: { !isSpace($0) }) else { return text[text.endIndex...] }
        let end = text.lastIndex(where: { !isSpace($0) })!
        return text[start...end]
    }
}
