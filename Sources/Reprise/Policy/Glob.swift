/// A shell-style pattern: `*` matches any run of characters, `?` one character; matching ignores case.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let characters: [Character]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.characters = Array(pattern.lowercased())
    }

    public var description: String { pattern }

    /// Whether `text` matches the whole pattern.
    /// - Complexity: O(n·m) at worst, in the lengths of the text and the pattern.
    public func matches(_ text: String) -> Bool {
        let text = Array(text.lowercased())
        var textIndex = 0
        var patternIndex = 0
        var starIndex: Int? = nil
        var resumeIndex = 0
        while textIndex < text.count {
            if patternIndex < characters.count,
                characters[patternIndex] == "?" || characters[patternIndex] == text[textIndex]
            {
                textIndex += 1
                patternIndex += 1
            } else if patternIndex < characters.count, characters[patternIndex] == "*" {
                starIndex = patternIndex
                resumeIndex = textIndex
                patternIndex += 1
            } else if let star = starIndex {
                patternIndex = star + 1
                resumeIndex += 1
                textIndex = resumeIndex
            } else {
                return false
            }
        }
        while patternIndex < characters.count, characters[patternIndex] == "*" { patternIndex += 1 }
        return patternIndex == characters.count
    }
}
