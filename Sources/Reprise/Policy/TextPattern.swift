import Foundation

/// A compiled regular expression over prompt text.
///
/// `NSRegularExpression` is immutable once built and documented as safe to use from several threads.
public struct TextPattern: @unchecked Sendable, CustomStringConvertible {
    public let source: String
    private let expression: NSRegularExpression

    /// Compiles `source`.
    /// - Throws: an error naming the pattern when it does not compile.
    public init(_ source: String, caseInsensitive: Bool = false) throws {
        self.source = source
        do {
            self.expression = try NSRegularExpression(pattern: source, options: caseInsensitive ? [.caseInsensitive] : [])
        } catch {
            throw ConfigurationError.invalidValue(
                "pattern", in: "the policy", reason: "is not a valid regular expression: '\(source)'")
        }
    }

    public var description: String { source }

    /// Whether the pattern occurs anywhere in `text`.
    public func occurs(in text: String) -> Bool {
        firstMatch(in: text) != nil
    }

    /// The first match in `text`.
    public func firstMatch(in text: String) -> String? {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        guard let match = expression.firstMatch(in: text, options: [], range: range),
            let found = Range(match.range, in: text)
        else { return nil }
        return String(text[found])
    }

    /// The range of the first match in `text`.
    public func firstMatchRange(in text: String) -> Range<String.Index>? {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        guard let match = expression.firstMatch(in: text, options: [], range: range) else { return nil }
        return Range(match.range, in: text)
    }

    /// Every match in `text`.
    public func matches(in text: String) -> [String] {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return expression.matches(in: text, options: [], range: range).compactMap { match in
            Range(match.range, in: text).map { String(text[$0]) }
        }
    }
}
