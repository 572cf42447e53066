/// The Redis Cluster slot of a key: CRC16 (XMODEM) of the key, or of its `{hash tag}`, modulo 16384.
///
/// A hash tag is the text between the first `{` and the first `}` after it, when that text is not
/// empty; keys with the same tag land in the same slot, so one node can update them together.
public enum RedisHashSlot {
    /// The number of slots of a Redis Cluster.
    public static let count = 16384

    /// The slot `key` belongs to.
    /// - Complexity: O(n) in the length of the key.
    public static func slot(for key: some Collection<UInt8>) -> Int {
        let bytes = Array(key)
        if let open = bytes.firstIndex(of: UInt8(ascii: "{")),
            let close = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1
        {
            return Int(crc16(bytes[(open + 1)..<close]) % UInt16(count))
        }
        return Int(crc16(bytes) % UInt16(count))
    }

    /// The slot of a text key.
    public static func slot(for key: String) -> Int { slot(for: Array(key.utf8)) }

    /// CRC-16/XMODEM: polynomial 0x1021, initial value 0, no reflection — the variant Redis uses.
    static func crc16(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc = (crc << 8) ^ table[Int((crc >> 8) ^ UInt16(byte))]
        }
        return crc
    }

    private static let table: [UInt16] = (0..<256).map { index in
        var value = UInt16(index) << 8
        for _ in 0..<8 {
            value = value & 0x8000 != 0 ? (value << 1) ^ 0x1021 : value << 1
        }
        return value
    }
}
