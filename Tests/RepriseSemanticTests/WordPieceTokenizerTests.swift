import Foundation
import Testing
import RepriseSemantic

/// The tokenizer's rules, one by one, on a small vocabulary (the reference tests cover the real one).
@Suite("WordPiece tokenizer")
struct WordPieceTokenizerTests {
    static let tokens = [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "unaff", "cafe", "naive", "hello",
        ",", "!", "world", "北", "京", "$", "a", "##a",
    ]
    let tokenizer: WordPieceTokenizer

    init() throws {
        let data = Data(Self.tokens.joined(separator: "\n").utf8 + [0x0A])
        tokenizer = WordPieceTokenizer(vocabulary: try WordPieceVocabulary(data: data, path: "vocab.txt"), maximumLength: 8)
    }

    func id(_ token: String) -> Int32 { Int32(Self.tokens.firstIndex(of: token)!) }

    @Test("greedy longest match from the left, with ## pieces")
    func longestMatch() {
        #expect(tokenizer.tokenIDs("unaffable") == [id("[CLS]"), id("unaff"), id("##able"), id("[SEP]")])
    }

    @Test("a word with an unmatched part becomes one [UNK]")
    func unknownWord() {
        #expect(tokenizer.tokenIDs("unxable hello") == [id("[CLS]"), id("[UNK]"), id("hello"), id("[SEP]")])
    }

    @Test("a word over 100 characters becomes [UNK] even when it would split")
    func longWord() {
        let word = String(repeating: "a", count: 101)
        #expect(tokenizer.tokenIDs(word) == [id("[CLS]"), id("[UNK]"), id("[SEP]")])
        let tokenizer = WordPieceTokenizer(vocabulary: tokenizer.vocabulary, maximumLength: 200)
        #expect(tokenizer.tokenIDs(String(repeating: "a", count: 100)).count == 102)
    }

    @Test("lower-cases and strips accents")
    func accents() {
        #expect(tokenizer.tokenIDs("CAFÉ Naïve") == [id("[CLS]"), id("cafe"), id("naive"), id("[SEP]")])
    }

    @Test("punctuation and symbols are words of their own")
    func punctuation() {
        #expect(tokenizer.tokenIDs("hello,world!$") == [id("[CLS]"), id("hello"), id(","), id("world"), id("!"), id("$"), id("[SEP]")])
    }

    @Test("CJK ideographs are words of their own")
    func ideographs() {
        #expect(tokenizer.tokenIDs("北京") == [id("[CLS]"), id("北"), id("京"), id("[SEP]")])
    }

    @Test("control characters vanish and any whitespace separates")
    func cleaning() {
        #expect(tokenizer.tokenIDs("hel\u{200B}lo\u{00A0}world\u{0007}") == [id("[CLS]"), id("hello"), id("world"), id("[SEP]")])
    }

    @Test("special tokens written in the text keep their ids, matched case-sensitively")
    func literalSpecialTokens() {
        // "[mask]" is ordinary text: "[", "mask" and "]", none of them in this vocabulary.
        #expect(tokenizer.tokenIDs("hello [MASK] [mask]") == [id("[CLS]"), id("hello"), id("[MASK]"), id("[UNK]"), id("[UNK]"), id("[UNK]"), id("[SEP]")])
    }

    @Test("truncates to the maximum length, [CLS] and [SEP] included")
    func truncation() {
        let ids = tokenizer.tokenIDs(Array(repeating: "hello", count: 20).joined(separator: " "))
        #expect(ids.count == 8)
        #expect(ids.first == id("[CLS]") && ids.last == id("[SEP]"))
        #expect(tokenizer.tokenIDs("") == [id("[CLS]"), id("[SEP]")])
    }

    @Test("a vocabulary without [CLS] is rejected, naming the file")
    func missingSpecialToken() {
        #expect {
            try WordPieceVocabulary(data: Data("[PAD]\n[UNK]\n[SEP]\n".utf8), path: "/models/vocab.txt")
        } throws: { error in
            "\(error)".contains("/models/vocab.txt") && "\(error)".contains("[CLS]")
        }
    }
}
