import Foundation

/// The first stage of BERT tokenisation: normalises text and splits it into words and punctuation.
///
/// Follows the reference (Hugging Face `BertNormalizer` + `BertPreTokenizer`, uncased) step by step:
/// 1. drop NUL, U+FFFD and control/format/unassigned characters; every whitespace character becomes a space;
/// 2. put spaces around CJK ideographs so each is a word of its own;
/// 3. decompose (NFD) and drop non-spacing marks, which strips accents;
/// 4. lower-case;
/// 5. split on whitespace, and make every punctuation character a word of its own.
public struct BasicTokenizer: Sendable {
    public init() {}

    /// The words of `text`, each as its Unicode scalars.
    public func words(in text: String) -> [[Unicode.Scalar]] {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
            if scalar.properties.isWhitespace {
                cleaned.append(" ")
            } else if Self.isCJKIdeograph(scalar) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        let normalized = String(cleaned).decomposedStringWithCanonicalMapping.unicodeScalars
            .filter { $0.properties.generalCategory != .nonspacingMark }
        var lowered: [Unicode.Scalar] = []
        lowered.reserveCapacity(normalized.count)
        for scalar in normalized {
            if scalar.isASCII {
                lowered.append(scalar.properties.isUppercase ? Unicode.Scalar(scalar.value + 32)! : scalar)
            } else {
                lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return split(lowered)
    }

    private func split(_ scalars: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in scalars {
            if scalar.properties.isWhitespace {
                if !current.isEmpty { words.append(current) }
                current = []
            } else if Self.isPunctuation(scalar) {
                if !current.isEmpty { words.append(current) }
                words.append([scalar])
                current = []
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Control, format, surrogate, private-use and unassigned characters, except tab, newline and return.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\t", "\n", "\r": return false
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .surrogate, .privateUse, .unassigned: return true
            default: return false
            }
        }
    }

    /// ASCII punctuation and symbols (so `$`, `+`, `^` count) and every Unicode punctuation category.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 33...47, 58...64, 91...96, 123...126: return true
        default:
            switch scalar.properties.generalCategory {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                .initialPunctuation, .finalPunctuation, .otherPunctuation:
                return true
            default: return false
            }
        }
    }

    /// The CJK Unified Ideographs blocks and their extensions and compatibility blocks, as BERT defines them.
    static func isCJKIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
            0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default: return false
        }
    }
}
