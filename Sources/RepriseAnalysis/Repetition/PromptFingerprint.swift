import Crypto
import Reprise

/// 64-bit digests that identify repeated requests: exactly as the gateway's cache key would, or after
/// folding case, white space and punctuation.
public enum PromptFingerprint {
    /// The namespace analysis keys are computed in: logs rarely say which credential made a call, so all
    /// of a log's requests are taken as one tenant's (Reprise's own log carries the gateway's key instead).
    public static let analysisNamespace = "analysis"

    /// The exact-repeat digest: the gateway's cache key when the request body is known (or the key the log
    /// carries), else the model and the exact prompt text; `nil` for records with neither (token-only traces).
    public static func exact(_ record: UsageRecord, keyBuilder: CacheKeyBuilder = CacheKeyBuilder()) -> UInt64? {
        if let key = record.key, let digest = digest(ofHex: key) { return digest }
        if let request = record.request {
            return digest(ofHex: keyBuilder.key(namespace: analysisNamespace, route: record.route, body: request).hex)
        }
        guard let text = record.promptText else { return nil }
        return digest(of: "exact\u{0}\(record.route)\u{0}\(record.model ?? "")\u{0}\(text)")
    }

    /// The normalized-repeat digest: the model and the prompt text folded (see ``normalized(_:)``).
    public static func normalized(_ record: UsageRecord) -> UInt64? {
        guard let text = record.promptText else { return nil }
        return digest(of: "normalized\u{0}\(record.route)\u{0}\(record.model ?? "")\u{0}\(normalized(text))")
    }

    /// `text` lower-cased, punctuation turned to spaces, runs of white space made one space, trimmed:
    /// "What's the  capital of France?" and "whats the capital of france" fold to nearly the same text.
    public static func normalized(_ text: String) -> String {
        if let ascii = normalizedASCII(text) { return ascii }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingSpace, !result.isEmpty { result.append(" ") }
                pendingSpace = false
                result.append(character)
            } else if character == "'" || character == "’" {
                continue
            } else {
                pendingSpace = true
            }
        }
        return result
    }

    /// ``normalized(_:)`` on bytes for the common all-ASCII text; `nil` when `text` has other characters.
    private static func normalizedASCII(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes -> String? in
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count)
            var pendingSpace = false
            for byte in bytes {
                switch byte {
                case 0x80...: return nil
                case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    if pendingSpace, !result.isEmpty { result.append(UInt8(ascii: " ")) }
                    pendingSpace = false
                    result.append(byte + 32)
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if pendingSpace, !result.isEmpty { result.append(UInt8(ascii: " ")) }
                    pendingSpace = false
                    result.append(byte)
                case UInt8(ascii: "'"): continue
                default: pendingSpace = true
                }
            }
            return String(decoding: result, as: UTF8.self)
        }
    }

    static func digest(of text: String) -> UInt64 {
        digest(of: Array(text.utf8))
    }

    static func digest(of bytes: [UInt8]) -> UInt64 {
        let hash = SHA256.hash(data: bytes)
        return hash.withUnsafeBytes { bytes in bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
    }

    static func digest(ofHex hex: String) -> UInt64? {
        guard hex.utf8.count >= 16 else { return nil }
        return UInt64(hex.prefix(16), radix: 16)
    }
}
