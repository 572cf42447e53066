/// How a model's vocabulary marks a sequence: the tokens that open and close it, the token of an unknown word,
/// and the special tokens its reference tokenizer recognises when they are written literally in the text.
///
/// BERT models spell them `[CLS] … [SEP]`; MPNet models, which share BERT's WordPiece tokenizer, `<s> … </s>`.
public struct SpecialTokens: Sendable, Hashable {
    /// Opens every sequence.
    public var classifier: String
    /// Closes every sequence.
    public var separator: String
    /// Stands for a word no vocabulary piece spells.
    public var unknown: String
    public var padding: String
    /// Recognised in raw text, before any normalisation, and mapped to their own ids.
    public var literal: [String]

    public init(classifier: String, separator: String, unknown: String, padding: String, literal: [String]) {
        self.classifier = classifier
        self.separator = separator
        self.unknown = unknown
        self.padding = padding
        self.literal = literal
    }

    /// BERT's: `[CLS]`, `[SEP]`, `[UNK]`, `[PAD]`, `[MASK]`.
    public static let bert = SpecialTokens(
        classifier: "[CLS]", separator: "[SEP]", unknown: "[UNK]", padding: "[PAD]", literal: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])

    /// MPNet's: `<s>`, `</s>`, `<pad>`, `<unk>` and `<mask>`, with BERT's `[UNK]` standing for unknown words.
    public static let mpnet = SpecialTokens(
        classifier: "<s>", separator: "</s>", unknown: "[UNK]", padding: "<pad>", literal: ["<s>", "<pad>", "</s>", "<unk>", "[UNK]", "<mask>"])
}
