import Foundation

/// Finds the first of a list of words or phrases in a text, as whole words and ignoring case, by
/// splitting the text into words once instead of running a regular expression over it.
///
/// A phrase matches its words in sequence whatever separates them in the text, so `up-to-date` matches
/// "up to date" and "Up-To-Date". A word with other symbols in it (`C++`, `#42`) is matched literally,
/// ignoring case, between non-word characters. The match is returned as it stands in the text.
public struct WordMatcher: Sendable {
    /// Phrases by their first word, longest first.
    private let phrases: [String: [[String]]]
    /// Words matched literally.
    private let literals: [String]

    public init(_ words: [String]) {
        var phrases: [String: [[String]]] = [:]
        var literals: [String] = []
        for word in words {
            if word.contains(where: { !($0.isLetter || $0.isNumber || $0 == " " || $0 == "-" || $0 == "'") }) {
                literals.append(word.lowercased())
                continue
            }
            let tokens = Self.tokens(of: word).map { $0.text }
            guard let first = tokens.first else { continue }
            phrases[first, default: []].append(tokens)
        }
        self.phrases = phrases.mapValues { $0.sorted { $0.count > $1.count } }
        self.literals = literals
    }

    public var isEmpty: Bool { phrases.isEmpty && literals.isEmpty }

    /// The leftmost match in `text`, as written there.
    /// - Complexity: O(n) in the length of the text, times the phrases sharing a first word.
    public func firstMatch(in text: String) -> Substring? {
        let word = firstWordMatch(in: text)
        guard !literals.isEmpty else { return word }
        let lowered = text.lowercased()
        guard lowered.count == text.count else { return word }
        var best = word
        for literal in literals {
            var searchStart = lowered.startIndex
            while let found = lowered.range(of: literal, range: searchStart..<lowered.endIndex) {
                let before = found.lowerBound == lowered.startIndex ? nil : lowered[lowered.index(before: found.lowerBound)]
                let after = found.upperBound == lowered.endIndex ? nil : lowered[found.upperBound]
                let bounded = !(before.map { $0.isLetter || $0.isNumber } ?? false) && !(after.map { $0.isLetter || $0.isNumber } ?? false)
                if bounded {
                    let offset = lowered.distance(from: lowered.startIndex, to: found.lowerBound)
                    let start = text.index(text.startIndex, offsetBy: offset)
                    let match = text[start..<text.index(start, offsetBy: literal.count)]
                    if best.map({ match.startIndex < $0.startIndex }) ?? true { best = match }
                    break
                }
                searchStart = lowered.index(after: found.lowerBound)
            }
        }
        return best
    }

    private func firstWordMatch(in text: String) -> Substring? {
        guard !phrases.isEmpty else { return nil }
        let tokens = Self.tokens(of: text)
        for (position, token) in tokens.enumerated() {
            guard let candidates = phrases[token.text] else { continue }
            for phrase in candidates where position + phrase.count <= tokens.count {
                if (0..<phrase.count).allSatisfy({ tokens[position + $0].text == phrase[$0] }) {
                    return text[token.range.lowerBound..<tokens[position + phrase.count - 1].range.upperBound]
                }
            }
        }
        return nil
    }

    /// The words of `text`, lower-cased, with where each stands.
    private static func tokens(of text: String) -> [(text: String, range: Range<String.Index>)] {
        asciiTokens(of: text) ?? unicodeTokens(of: text)
    }

    /// ``tokens(of:)`` on bytes for all-ASCII text, where a word is a run of letters and digits; `nil` when
    /// `text` has other characters. Most prompts are ASCII, and walking bytes is many times faster than
    /// walking characters.
    private static func asciiTokens(of text: String) -> [(text: String, range: Range<String.Index>)]? {
        let utf8 = text.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        var result: [(text: String, range: Range<String.Index>)] = []
        var word: [UInt8] = []
        var start: String.Index?
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                if start == nil { start = index }
                word.append(byte + 32)
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                if start == nil { start = index }
                word.append(byte)
            default:
                if let begin = start {
                    result.append((String(decoding: word, as: UTF8.self), begin..<index))
                    word.removeAll(keepingCapacity: true)
                    start = nil
                }
            }
            index = utf8.index(after: index)
        }
        if let begin = start { result.append((String(decoding: word, as: UTF8.self), begin..<text.endIndex)) }
        return result
    }

    private static func unicodeTokens(of text: String) -> [(text: String, range: Range<String.Index>)] {
        var result: [(text: String, range: Range<String.Index>)] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let isWordCharacter = character.isLetter || character.isNumber
            if isWordCharacter, start == nil { start = index }
            if !isWordCharacter, let begin = start {
                result.append((text[begin..<index].lowercased(), begin..<index))
                start = nil
            }
            index = text.index(after: index)
        }
        if let begin = start { result.append((text[begin...].lowercased(), begin..<text.endIndex)) }
        return result
    }
}
