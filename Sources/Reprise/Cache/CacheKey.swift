import Crypto

/// The identity of one cached answer: a hex SHA-256 over the namespace, the route and the canonical
/// request body (see `docs/cache-key.md`).
public struct CacheKey: Sendable, Hashable, CustomStringConvertible {
    /// 64 lower-case hex digits.
    public let hex: String

    /// Wraps an existing hex key, for example one named in an admin request.
    /// - Returns: `nil` unless `hex` is 64 hex digits.
    public init?(hex: String) {
        let lowered = hex.lowercased()
        guard lowered.utf8.count == 64, lowered.utf8.allSatisfy({ Self.isHexDigit($0) }) else { return nil }
        self.hex = lowered
    }

    init(digest: SHA256.Digest) {
        self.init(rawBytes: Array(digest))
    }

    /// The key whose 32 bytes are `rawBytes`, as a compact record stores it.
    /// - Precondition: `rawBytes.count == 32`.
    public init(rawBytes: [UInt8]) {
        precondition(rawBytes.count == 32, "a cache key is 32 bytes")
        let alphabet = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in rawBytes {
            text.append(alphabet[Int(byte >> 4)])
            text.append(alphabet[Int(byte & 0x0F)])
        }
        self.hex = String(decoding: text, as: UTF8.self)
    }

    /// The key's 32 bytes.
    public var rawBytes: [UInt8] {
        let digits = Array(hex.utf8)
        func value(_ digit: UInt8) -> UInt8 { digit <= UInt8(ascii: "9") ? digit - UInt8(ascii: "0") : digit - UInt8(ascii: "a") + 10 }
        return stride(from: 0, to: digits.count, by: 2).map { value(digits[$0]) << 4 | value(digits[$0 + 1]) }
    }

    public var description: String { hex }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }
}
