import Reprise

/// Lenient field access for log lines, whose exporters disagree on names and on whether numbers and
/// nested documents are written as JSON or as strings.
extension JSONValue {
    /// The first member among `keys` that is present and not `null`.
    func firstMember(_ keys: String...) -> JSONValue? {
        firstMember(in: keys)
    }

    func firstMember(in keys: [String]) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for key in keys {
            if let value = members[key], value != .null { return value }
        }
        return nil
    }

    /// The first non-empty string among `keys`.
    func firstString(_ keys: String...) -> String? {
        guard case .object(let members) = self else { return nil }
        for key in keys {
            if case .string(let text) = members[key], !text.isEmpty { return text }
        }
        return nil
    }

    /// The first number among `keys`, written as a number or as a numeric string.
    func firstDouble(_ keys: String...) -> Double? {
        guard case .object(let members) = self else { return nil }
        for key in keys {
            switch members[key] {
            case .number(let number): return number.doubleValue
            case .string(let text): if let value = Double(text) { return value }
            default: continue
            }
        }
        return nil
    }

    /// The first whole number among `keys`, written as a number or as a numeric string.
    func firstInt(_ keys: String...) -> Int? {
        guard case .object(let members) = self else { return nil }
        for key in keys {
            switch members[key] {
            case .number(let number):
                if let value = number.intValue { return value }
                if number.doubleValue.rounded() == number.doubleValue, let value = Int(exactly: number.doubleValue) { return value }
            case .string(let text):
                if let value = Int(text) { return value }
            default: continue
            }
        }
        return nil
    }

    /// A document stored as a JSON string (as database exports often do) parsed; anything else unchanged.
    var unwrappingEmbeddedJSON: JSONValue {
        guard case .string(let text) = self, let first = text.utf8.first(where: { $0 > 0x20 }),
            first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        else { return self }
        return (try? JSONParser.parse(text)) ?? self
    }

    /// Whether this is an object carrying a prompt: `messages`, `prompt` or `input`.
    var hasPromptFields: Bool {
        firstMember("messages", "prompt", "input") != nil
    }
}
