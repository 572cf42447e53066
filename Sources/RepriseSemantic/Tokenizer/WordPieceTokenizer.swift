/// The BERT WordPiece tokenizer of a sentence-embedding model: text in, token ids out, `[CLS] … [SEP]` (or the
/// vocabulary's own ``SpecialTokens``, such as MPNet's `<s> … </s>`).
///
/// Words from ``BasicTokenizer`` are split greedily into the longest vocabulary pieces from the left, pieces
/// after the first spelled with a `##` prefix; a word with a part no piece matches, or longer than
/// ``maximumCharactersPerWord`` characters, becomes `[UNK]`. The special tokens (`[CLS]`, `[MASK]`, …)
/// written literally in the text map to their own ids, as in the reference.
public struct WordPieceTokenizer: Sendable {
    public let vocabulary: WordPieceVocabulary
    /// Sequences are cut to this many tokens, `[CLS]` and `[SEP]` included.
    public let maximumLength: Int
    public static let maximumCharactersPerWord = 100
    private let basic = BasicTokenizer()
    /// The first characters of the literal special tokens: text without any needs no search for them.
    private let specialOpeners: Set<Character>
    private static let continuation: [UInt8] = Array("##".utf8)

    public init(vocabulary: WordPieceVocabulary, maximumLength: Int = 256) {
        precondition(maximumLength >= 2, "a sequence needs room for [CLS] and [SEP]")
        self.vocabulary = vocabulary
        self.maximumLength = maximumLength
        self.specialOpeners = Set(vocabulary.specialTokens.compactMap(\.text.first))
    }

    /// The token ids of `text`, starting with `[CLS]` and ending with `[SEP]`, at most ``maximumLength`` long.
    public func tokenIDs(_ text: String) -> [Int32] {
        let budget = maximumLength - 2
        var ids: [Int32] = [vocabulary.classifierID]
        for segment in segments(of: text) {
            if ids.count - 1 >= budget { break }
            switch segment {
            case .special(let id):
                ids.append(id)
            case .text(let text):
                for word in basic.words(in: String(text)) {
                    if ids.count - 1 >= budget { break }
                    ids.append(contentsOf: pieces(of: word).prefix(budget - (ids.count - 1)))
                }
            }
        }
        ids.append(vocabulary.separatorID)
        return ids
    }

    private enum Segment {
        case text(Substring)
        case special(Int32)
    }

    /// Splits `text` around literal special tokens, which skip normalisation.
    private func segments(of text: String) -> [Segment] {
        guard text.contains(where: specialOpeners.contains) else { return [.text(text[...])] }
        var segments: [Segment] = []
        var rest = text[...]
        while let open = rest.firstIndex(where: specialOpeners.contains) {
            let tail = rest[open...]
            if let special = vocabulary.specialTokens.first(where: { tail.hasPrefix($0.text) }) {
                segments.append(.text(rest[..<open]))
                segments.append(.special(special.id))
                rest = tail.dropFirst(special.text.count)
            } else {
                segments.append(.text(rest[...open]))
                rest = rest[rest.index(after: open)...]
            }
        }
        segments.append(.text(rest))
        return mergeText(segments)
    }

    /// Joins neighbouring text segments so a word split at a lone `[` (or `<`) stays one word.
    private func mergeText(_ segments: [Segment]) -> [Segment] {
        var merged: [Segment] = []
        for segment in segments {
            if case .text(let next) = segment, case .text(let previous)? = merged.last {
                merged[merged.count - 1] = .text(previous.base[previous.startIndex..<next.endIndex])
            } else {
                merged.append(segment)
            }
        }
        return merged
    }

    /// The WordPiece ids of one word.
    func pieces(of word: [Unicode.Scalar]) -> [Int32] {
        if word.count > Self.maximumCharactersPerWord { return [vocabulary.unknownID] }
        var ids: [Int32] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32?
            while start < end {
                var candidate = start > 0 ? Self.continuation : []
                for scalar in word[start..<end] { candidate.append(contentsOf: String(scalar).utf8) }
                if let id = vocabulary.id(of: candidate) {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else { return [vocabulary.unknownID] }
            ids.append(id)
            start = end
        }
        return ids
    }
}
