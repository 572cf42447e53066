/// The names one text mentions, and the forms under which it mentions anything: what the entities guard
/// compares. A name of one text agrees with another text when that text mentions it in one of these ways:
///
/// - as the same word, ignoring case and a possessive ("England's" / "england"), dots in an acronym
///   ("U.S." / "US"), hyphens ("Self Esteem" / "self-esteem") and a space inside a name ("Web Summit" /
///   "Websummit");
/// - as the singular of a capitalised plural ("Engineers" / "engineer", "Cameras" / "cameras") — but a
///   lower-case plural is no form of a name: "Apple" is not in "apples";
/// - as the words an acronym abbreviates, or the reverse ("CS" / "Computer Science");
/// - as the same country under another of its usual names, its inhabitants' included ("Japan" / "Japanese",
///   "US" / "U.S.A." / "America" / "United States of America"; see ``Nations``).
///
/// A name is not excused by a longer or shorter name sharing a word with it: "Donald Trump" / "Trump" reads
/// the same, but "New York" / "York", "Blue Nile" / "Nile" and "Google Play" / "Play" do not, and nothing in
/// the words tells the two kinds apart.
struct NameMentions {
    /// One name: the spellings that count as mentioning it, its letters when it is an acronym, its first
    /// spelling joined to those of the names written next to it ("web" + "summit"), and the initials of its
    /// run of names with its place there ("cs", 0 for "Computer" in "Computer Science").
    struct Name {
        let spellings: [String]
        let acronym: String?
        let joined: [String]
        let runInitials: [String]
        let position: Int
    }

    /// The names: capitalised words not opening a sentence, countries anywhere, and acronyms anywhere, unless the text is written mostly in capitals. The pronoun "I" and its contractions name nobody.
    let names: [Name]
    /// Every word in its compared forms, with the parts of hyphenated and dotted words and neighbouring names joined.
    private let forms: Set<String>
    /// The acronyms, lower-cased: what the other text's runs of names may abbreviate to.
    private let acronyms: Set<String>
    /// The words in order, lower-cased, with whether each was capitalised: for spelled-out acronyms.
    private let sequence: [(word: String, capitalised: Bool)]

    init(_ text: String) {
        let words = Self.words(in: text)
        let letterWords = words.filter { $0.text.contains(where: \.isLetter) }
        let shouting = letterWords.filter { $0.text.allSatisfy { !$0.isLowercase } }.count * 2 > letterWords.count
        var forms: Set<String> = []
        var runs: [[(word: Word, spellings: [String], acronym: String?)]] = []
        for word in words {
            let spellings = word.alias.map { [$0] } ?? Self.spellings(of: word.text)
            forms.formUnion(spellings)
            if word.alias == nil {
                for part in word.text.split(whereSeparator: { "-/'’.".contains($0) }) where part.count < word.text.count {
                    forms.formUnion(Self.spellings(of: part))
                }
            }
            guard let first = word.text.first, first.isUppercase, !Self.isFirstPersonPronoun(word.text), !shouting else { continue }
            let letters = word.text.filter(\.isLetter)
            let isAcronym = word.alias == nil && letters.count >= 2 && letters.allSatisfy(\.isUppercase)
            guard isAcronym || word.alias != nil || !Self.opensSentence(word.text, in: text) else { continue }
            let name = (word: word, spellings: spellings, acronym: isAcronym ? letters.lowercased() : nil)
            // Names written next to each other, only spaces between them, form a run ("Web Summit").
            if let last = runs.last?.last, text[last.word.text.endIndex..<word.text.startIndex].allSatisfy({ $0 == " " })
            {
                runs[runs.count - 1].append(name)
            } else {
                runs.append([name])
            }
        }
        var names: [Name] = []
        for run in runs {
            let initials = run.map { $0.word.text.prefix(1).lowercased() }
            for (position, member) in run.enumerated() {
                var joined: [String] = []
                if position > 0 { joined.append(run[position - 1].spellings[0] + member.spellings[0]) }
                if position + 1 < run.count { joined.append(member.spellings[0] + run[position + 1].spellings[0]) }
                forms.formUnion(joined)
                names.append(Name(spellings: member.spellings, acronym: member.acronym, joined: joined, runInitials: initials, position: position))
            }
        }
        self.names = names
        self.forms = forms
        self.acronyms = Set(names.compactMap(\.acronym))
        self.sequence = letterWords.map { (word: $0.text.lowercased(), capitalised: $0.text.first?.isUppercase == true) }
    }

    /// Whether this text mentions every one of `names`.
    func mentions(all names: [Name]) -> Bool {
        names.allSatisfy(mentions)
    }

    private func mentions(_ name: Name) -> Bool {
        if name.spellings.contains(where: forms.contains) || name.joined.contains(where: forms.contains) { return true }
        if acronyms.contains(where: { abbreviates($0, runOf: name) }) { return true }
        if let acronym = name.acronym, spellsOut(acronym) { return true }
        return false
    }

    /// Whether `acronym` (two to eight letters) is the initials of consecutive names of the name's run,
    /// the name among them ("cs" for "Computer" in "Computer Science"). Only placements covering the
    /// name are tried, so a long title-cased text costs time linear in its length.
    private func abbreviates(_ acronym: String, runOf name: Name) -> Bool {
        let letters = acronym.map(String.init), initials = name.runInitials
        guard (2...8).contains(letters.count), letters.count <= initials.count else { return false }
        let first = max(0, name.position - letters.count + 1), last = min(name.position, initials.count - letters.count)
        guard first <= last else { return false }
        return (first...last).contains { start in initials[start..<start + letters.count].elementsEqual(letters) }
    }

    /// Whether consecutive words here have the acronym's letters as initials, skipping "of", "and", "the"
    /// and "for" between them: capitalised words for any acronym, any words for one of three letters or more.
    private func spellsOut(_ acronym: String) -> Bool {
        let letters = Array(acronym)
        for start in sequence.indices where sequence[start].word.first == letters[0] {
            var position = start, matched = 0, allCapitalised = true
            while position < sequence.endIndex, matched < letters.count {
                let (word, capitalised) = sequence[position]
                if matched > 0, Self.connectives.contains(word) {
                    position += 1
                    continue
                }
                guard word.first == letters[matched] else { break }
                allCapitalised = allCapitalised && capitalised
                matched += 1
                position += 1
            }
            if matched == letters.count, allCapitalised || letters.count >= 3 { return true }
        }
        return false
    }

    private static let connectives: Set<String> = ["of", "and", "the", "for", "&"]

    /// A word of the text. A country named in several capitalised words
    /// ("United States of America") is one word, standing for the country's key.
    private struct Word {
        var text: Substring
        var alias: String?
    }

    private static func words(in text: String) -> [Word] {
        let all = TextFeatures.words(in: text)
        var words: [Word] = []
        var position = 0
        while position < all.count {
            let lowered = all[position...].prefix(4).map { $0.lowercased() }
            if all[position].first?.isUppercase == true, let phrase = Nations.phrases.first(where: lowered.starts(with:)),
                let country = Nations.country(named: phrase.joined(separator: " "))
            {
                let span = text[all[position].startIndex..<all[position + phrase.count - 1].endIndex]
                words.append(Word(text: span, alias: "#" + country))
                position += phrase.count
            } else {
                words.append(Word(text: all[position], alias: nil))
                position += 1
            }
        }
        return words
    }

    /// A word as compared: lower-cased, without a possessive ending or an acronym's dots; a capitalised
    /// plural also as its singular; a capitalised country or inhabitant also as the country's key ("#japan"),
    /// and a two-letter one in capitals only as that ("US" is not the pronoun "us"; "Us" is no country).
    static func spellings(of word: Substring) -> [String] {
        var form = word.lowercased()
        if let possessive = ["'s", "’s", "'", "’"].first(where: { form.hasSuffix($0) }) { form.removeLast(possessive.count) }
        let capitals = word.allSatisfy { $0 == "." || $0.isUppercase }
        if word.contains("."), capitals { form.removeAll { $0 == "." } }
        guard word.first?.isUppercase == true else { return [form] }
        var spellings = [form]
        if form.count > 3, form.hasSuffix("s"), !form.hasSuffix("ss") { spellings.append(String(form.dropLast())) }
        if let country = spellings.lazy.compactMap(Nations.country(named:)).first {
            if form.count > 2 { spellings.append("#" + country) } else if capitals { spellings = ["#" + country] }
        }
        return spellings
    }

    private static func isFirstPersonPronoun(_ word: Substring) -> Bool {
        let lowered = word.lowercased()
        return lowered == "i" || lowered.hasPrefix("i'") || lowered.hasPrefix("i’")
    }

    private static func opensSentence(_ word: Substring, in text: String) -> Bool {
        var index = word.startIndex
        while index > text.startIndex {
            index = text.index(before: index)
            let character = text[index]
            if character.isWhitespace || "\"'“‘(«-*#>".contains(character) { continue }
            return ".!?:;\n".contains(character)
        }
        return true
    }
}
