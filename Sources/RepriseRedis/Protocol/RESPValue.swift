import NIOCore

/// One reply from a Redis server, in either protocol version (RESP2 or RESP3).
///
/// RESP3-only types (maps, sets, doubles, booleans, big numbers, verbatim strings, pushes) are accepted
/// so that a server speaking RESP3 never breaks the client; commands are always sent as RESP2 arrays.
public indirect enum RESPValue: Sendable, Hashable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    case bulkString(ByteBuffer)
    case null
    case array([RESPValue])
    case double(Double)
    case boolean(Bool)
    case bigNumber(String)
    case map([(RESPValue, RESPValue)])
    case set([RESPValue])
    case push([RESPValue])

    public static func == (lhs: RESPValue, rhs: RESPValue) -> Bool {
        switch (lhs, rhs) {
        case (.simpleString(let a), .simpleString(let b)), (.error(let a), .error(let b)),
            (.bigNumber(let a), .bigNumber(let b)):
            a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.bulkString(let a), .bulkString(let b)): a == b
        case (.null, .null): true
        case (.array(let a), .array(let b)), (.set(let a), .set(let b)), (.push(let a), .push(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.boolean(let a), .boolean(let b)): a == b
        case (.map(let a), .map(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .simpleString(let text), .error(let text), .bigNumber(let text): hasher.combine(text)
        case .integer(let number): hasher.combine(number)
        case .bulkString(let bytes): hasher.combine(bytes)
        case .null: hasher.combine(0)
        case .array(let values), .set(let values), .push(let values): hasher.combine(values)
        case .double(let number): hasher.combine(number)
        case .boolean(let flag): hasher.combine(flag)
        case .map(let pairs): for (key, value) in pairs { hasher.combine(key); hasher.combine(value) }
        }
    }
}

extension RESPValue {
    /// The value as text: simple, bulk and verbatim strings, and numbers.
    public var string: String? {
        switch self {
        case .simpleString(let text), .bigNumber(let text): text
        case .bulkString(let bytes): String(buffer: bytes)
        case .integer(let number): String(number)
        case .double(let number): String(number)
        default: nil
        }
    }

    /// The value's bytes, for bulk and simple strings.
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let buffer): Array(buffer.readableBytesView)
        case .simpleString(let text): Array(text.utf8)
        default: nil
        }
    }

    /// The value as an integer: integers, and strings holding one.
    public var integer: Int64? {
        switch self {
        case .integer(let number): number
        case .simpleString, .bulkString: string.flatMap { Int64($0) }
        default: nil
        }
    }

    /// The elements of an array, set or push; a map's keys and values alternating, as RESP2 sends them.
    public var elements: [RESPValue]? {
        switch self {
        case .array(let values), .set(let values), .push(let values): values
        case .map(let pairs): pairs.flatMap { [$0.0, $0.1] }
        default: nil
        }
    }

    /// The key-value pairs of a RESP3 map, or of a RESP2 array of alternating keys and values.
    public var pairs: [(String, RESPValue)]? {
        switch self {
        case .map(let pairs): return pairs.compactMap { key, value in key.string.map { ($0, value) } }
        case .array(let values) where values.count.isMultiple(of: 2):
            return stride(from: 0, to: values.count, by: 2).compactMap { index in
                values[index].string.map { ($0, values[index + 1]) }
            }
        default: return nil
        }
    }
}
