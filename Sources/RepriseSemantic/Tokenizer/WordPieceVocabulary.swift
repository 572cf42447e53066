import Foundation

/// The token list of a WordPiece model (`vocab.txt`: one token a line, its id the line number from 0).
///
/// Tokens are looked up by their exact UTF-8 bytes: Swift strings compare canonically equivalent text as
/// equal, while the reference tokenizer tells such tokens apart.
public struct WordPieceVocabulary: Sendable {
    /// Token ids by the token's UTF-8 bytes.
    let ids: [[UInt8]: Int32]
    /// The number of lines, hence the largest id plus one.
    public let count: Int
    public let unknownID: Int32
    public let classifierID: Int32
    public let separatorID: Int32
    public let paddingID: Int32
    /// The special tokens the reference recognises in raw text before any normalisation, with their ids.
    public let specialTokens: [(text: String, id: Int32)]

    /// Reads `vocab.txt` at `path`, whose sequences are marked with `special` tokens.
    ///
    /// - Throws: ``SemanticModelError`` when the file is missing, unreadable, or lacks the classifier, separator
    ///   or unknown token.
    public init(contentsOf path: String, special: SpecialTokens = .bert) throws(SemanticModelError) {
        guard FileManager.default.fileExists(atPath: path) else { throw .missingFile(path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .corruptFile(path, reason: "it cannot be read")
        }
        try self.init(data: data, path: path, special: special)
    }

    /// Parses vocabulary bytes; `path` only names them in errors.
    public init(data: Data, path: String, special: SpecialTokens = .bert) throws(SemanticModelError) {
        var ids: [[UInt8]: Int32] = [:]
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        for (index, line) in lines.enumerated() {
            var bytes = Array(line)
            // The reference trims trailing whitespace from each line; later duplicates win, as there.
            while let last = bytes.last, last == 0x20 || last == 0x09 || last == 0x0D { bytes.removeLast() }
            ids[bytes] = Int32(index)
        }
        func id(_ token: String) throws(SemanticModelError) -> Int32 {
            guard let id = ids[Array(token.utf8)] else {
                throw .corruptFile(path, reason: "it has no \(token) token, so it is not the vocabulary of a model that marks sequences with \(special.classifier) and \(special.separator)")
            }
            return id
        }
        self.ids = ids
        self.count = lines.count
        self.unknownID = try id(special.unknown)
        self.classifierID = try id(special.classifier)
        self.separatorID = try id(special.separator)
        self.paddingID = ids[Array(special.padding.utf8)] ?? 0
        self.specialTokens = special.literal.compactMap { token in
            ids[Array(token.utf8)].map { (token, $0) }
        }
    }

    /// The id of the token spelled by `bytes`, or `nil` when it is not in the vocabulary.
    func id(of bytes: [UInt8]) -> Int32? {
        ids[bytes]
    }
}
