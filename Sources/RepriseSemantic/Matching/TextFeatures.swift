/// The features of a text the semantic guards compare: numbers, negation, quotes, code and names.
enum TextFeatures {
    /// Cardinal number words from two up; "one", "first", "second" and "half" are left out, being as often
    /// words as numbers ("which one", "first install", "a second try").
    private static let numberWords: [String: String] = [
        "zero": "0", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
        "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13", "fourteen": "14", "fifteen": "15",
        "sixteen": "16", "seventeen": "17", "eighteen": "18", "nineteen": "19", "twenty": "20", "dozen": "12",
        "hundred": "100", "thousand": "1000", "million": "1000000", "billion": "1000000000",
    ]
    private static let negations: Set<String> = [
        "not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor", "without", "cannot", "cant",
        "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont", "wouldnt", "shouldnt", "couldnt",
        "havent", "hasnt", "hadnt", "mustnt", "neednt", "aint",
    ]

    /// Words: runs of letters, digits and joining marks inside them (`#A-12345`, `2026-11-26`, `1,000.5`).
    static func words(in text: String) -> [Substring] {
        var words: [Substring] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            let joins = ".,:-/'’".contains(character) && start != nil && next < text.endIndex
                && (text[next].isLetter || text[next].isNumber)
            if character.isLetter || character.isNumber || joins {
                if start == nil { start = index }
            } else if let wordStart = start {
                words.append(text[wordStart..<index])
                start = nil
            }
            index = next
        }
        if let wordStart = start { words.append(text[wordStart...]) }
        return words
    }

    /// Every number-bearing word (digits kept with their letters and separators, thousands commas dropped) and
    /// number word. A set: a paraphrase may repeat a number without changing it.
    static func numbers(in text: String) -> Set<String> {
        words(in: text).compactMap { word -> String? in
            let lowered = word.lowercased()
            if let number = numberWords[lowered] { return number }
            guard word.contains(where: \.isNumber) else { return nil }
            return lowered.replacingOccurrences(",", with: "")
        }.reduce(into: []) { $0.insert($1) }
    }

    /// Whether the text holds a negation word or a contraction ending in n't. The "not" of "or not"
    /// ("whether or not", "should I, or not?") leaves the question open rather than negating it.
    static func isNegated(_ text: String) -> Bool {
        let all = words(in: text)
        return all.indices.contains { position in
            let word = all[position]
            let lowered = word.lowercased()
            if lowered == "not", position > all.startIndex, all[position - 1].lowercased() == "or" { return false }
            let folded = lowered.replacingOccurrences("'", with: "").replacingOccurrences("’", with: "")
            return negations.contains(folded) || lowered.hasSuffix("n't") || lowered.hasSuffix("n’t")
        }
    }

    /// Whether each text's quoted strings are quoted in the other too, or appear there unquoted as the same
    /// run of words (ignoring case): quoting a phrase does not change what is asked ("what is the most
    /// 'illegal' thing" / "the most illegal thing"), quoting a different one does.
    static func quotesAgree(_ a: String, _ b: String) -> Bool {
        let quotesOfA = quotedStrings(in: a), quotesOfB = quotedStrings(in: b)
        if quotesOfA == quotesOfB { return true }
        return quotes(quotesOfA, appearIn: b, quoted: quotesOfB) && quotes(quotesOfB, appearIn: a, quoted: quotesOfA)
    }

    private static func quotes(_ phrases: [String], appearIn text: String, quoted: [String]) -> Bool {
        guard phrases.contains(where: { !quoted.contains($0) }) else { return true }
        let plain = " " + words(in: text).map { $0.lowercased() }.joined(separator: " ") + " "
        return phrases.allSatisfy { quote in
            if quoted.contains(quote) { return true }
            let phrase = words(in: quote).map { $0.lowercased() }.joined(separator: " ")
            return !phrase.isEmpty && plain.contains(" " + phrase + " ")
        }
    }

    /// Text between matching quotation marks that open at a word's start and close at its end (so the
    /// apostrophes of "don't" open nothing).
    static func quotedStrings(in text: String) -> [String] {
        let pairs: [Character: Character] = ["\"": "\"", "'": "'", "“": "”", "‘": "’", "«": "»", "„": "“"]
        let characters = Array(text)
        var quotes: [String] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let opensAtWordStart = index == 0 || !(characters[index - 1].isLetter || characters[index - 1].isNumber)
            if let close = pairs[character], opensAtWordStart,
                let end = (index + 1..<characters.count).first(where: { position in
                    characters[position] == close
                        && (position + 1 == characters.count || !(characters[position + 1].isLetter || characters[position + 1].isNumber))
                })
            {
                quotes.append(String(characters[(index + 1)..<end]))
                index = end + 1
            } else {
                index += 1
            }
        }
        return quotes.sorted()
    }

    /// Fenced code blocks and inline code spans, with surrounding whitespace trimmed.
    static func codeSpans(in text: String) -> [String] {
        var spans: [String] = []
        let parts = text.split(separator: "```", omittingEmptySubsequences: false)
        for (number, part) in parts.enumerated() {
            if number % 2 == 1 && number < parts.count - 1 {
                spans.append(String(part).trimmingWhitespace())
            } else {
                let inline = part.split(separator: "`", omittingEmptySubsequences: false)
                for (position, span) in inline.enumerated() where position % 2 == 1 && position < inline.count - 1 {
                    spans.append(String(span).trimmingWhitespace())
                }
            }
        }
        return spans.sorted()
    }

    /// Whether each text mentions every name of the other (see ``NameMentions`` for what counts as a mention).
    static func namesAgree(_ a: String, _ b: String) -> Bool {
        let mentionsOfA = NameMentions(a), mentionsOfB = NameMentions(b)
        return mentionsOfB.mentions(all: mentionsOfA.names) && mentionsOfA.mentions(all: mentionsOfB.names)
    }
}

extension String {
    fileprivate func replacingOccurrences(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }

    fileprivate func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}

