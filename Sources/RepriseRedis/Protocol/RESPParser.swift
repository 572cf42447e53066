import NIOCore

/// Reads one RESP2 or RESP3 value from the front of a buffer, or reports that more bytes are needed.
///
/// The parser never trusts the peer: lengths are bounded, nesting is bounded, and anything that is not
/// RESP is a ``RedisError`` of kind protocol error rather than a crash or an unbounded wait.
struct RESPParser {
    /// The deepest nesting of arrays, maps and sets accepted.
    static let maximumDepth = 64
    /// The longest bulk string accepted: Redis's own default `proto-max-bulk-len`.
    static let maximumBulkLength = 512 * 1024 * 1024
    /// The most elements one aggregate may announce.
    static let maximumElementCount = 1 << 26
    /// The longest line (simple string, error, number) accepted before its CRLF.
    static let maximumLineLength = 64 * 1024

    /// Parses one value from the readable bytes of `buffer`.
    /// - Returns: the value, with `buffer`'s reader index moved past it; or `nil`, with `buffer`
    ///   untouched, when the value is not complete yet.
    /// - Throws: ``RedisError`` (protocol error) when the bytes are not RESP.
    static func parse(_ buffer: inout ByteBuffer) throws(RedisError) -> RESPValue? {
        var copy = buffer
        guard let value = try parseValue(&copy, depth: 0) else { return nil }
        buffer = copy
        return value
    }

    private static func parseValue(_ buffer: inout ByteBuffer, depth: Int) throws(RedisError) -> RESPValue? {
        guard depth <= maximumDepth else { throw .protocolError("replies nest deeper than \(maximumDepth) levels") }
        guard let marker = buffer.readInteger(as: UInt8.self) else { return nil }
        switch marker {
        case UInt8(ascii: "+"): return try line(&buffer).map { .simpleString($0) }
        case UInt8(ascii: "-"): return try line(&buffer).map { .error($0) }
        case UInt8(ascii: ":"): return try number(&buffer).map { .integer($0) }
        case UInt8(ascii: "$"): return try bulk(&buffer, verbatim: false)
        case UInt8(ascii: "="): return try bulk(&buffer, verbatim: true)
        case UInt8(ascii: "!"): return try bulk(&buffer, verbatim: false).map { value in
            if case .bulkString(let text) = value { .error(String(buffer: text)) } else { value }
        }
        case UInt8(ascii: "*"): return try aggregate(&buffer, depth: depth).map { $0.map(RESPValue.array) ?? .null }
        case UInt8(ascii: "~"): return try aggregate(&buffer, depth: depth).map { $0.map(RESPValue.set) ?? .null }
        case UInt8(ascii: ">"): return try aggregate(&buffer, depth: depth).map { $0.map(RESPValue.push) ?? .null }
        case UInt8(ascii: "%"): return try map(&buffer, depth: depth)
        case UInt8(ascii: "|"): return try attribute(&buffer, depth: depth)
        case UInt8(ascii: "_"): return try line(&buffer).map { _ in .null }
        case UInt8(ascii: "#"): return try boolean(&buffer)
        case UInt8(ascii: ","): return try double(&buffer)
        case UInt8(ascii: "("): return try line(&buffer).map { .bigNumber($0) }
        default: throw .protocolError("unexpected byte 0x\(String(marker, radix: 16)) where a reply should start")
        }
    }

    private static func line(_ buffer: inout ByteBuffer) throws(RedisError) -> String? {
        let view = buffer.readableBytesView
        guard let carriageReturn = view.firstIndex(of: UInt8(ascii: "\r")) else {
            if view.count > maximumLineLength { throw .protocolError("a reply line is longer than \(maximumLineLength) bytes") }
            return nil
        }
        let length = carriageReturn - view.startIndex
        guard buffer.readableBytes >= length + 2 else { return nil }
        guard buffer.getInteger(at: buffer.readerIndex + length + 1, as: UInt8.self) == UInt8(ascii: "\n") else {
            throw .protocolError("a reply line has a carriage return without a line feed")
        }
        let text = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 2)
        return text
    }

    private static func number(_ buffer: inout ByteBuffer) throws(RedisError) -> Int64? {
        guard let text = try line(&buffer) else { return nil }
        guard let value = Int64(text) else { throw .protocolError("'\(text.prefix(40))' is not an integer") }
        return value
    }

    private static func count(_ buffer: inout ByteBuffer, limit: Int) throws(RedisError) -> Int?? {
        guard let value = try number(&buffer) else { return nil }
        if value == -1 { return .some(nil) }
        guard value >= 0, value <= Int64(limit) else { throw .protocolError("length \(value) is out of range") }
        return .some(Int(value))
    }

    private static func bulk(_ buffer: inout ByteBuffer, verbatim: Bool) throws(RedisError) -> RESPValue? {
        guard let length = try count(&buffer, limit: maximumBulkLength) else { return nil }
        guard let length else { return .null }
        guard buffer.readableBytes >= length + 2 else { return nil }
        var payload = buffer.readSlice(length: length)!
        guard buffer.readInteger(as: UInt8.self) == UInt8(ascii: "\r"),
            buffer.readInteger(as: UInt8.self) == UInt8(ascii: "\n")
        else { throw .protocolError("a bulk string of \(length) bytes is not followed by CRLF") }
        if verbatim {
            // `txt:` or `mkd:` announces the format; the text follows.
            guard payload.readableBytes >= 4 else { throw .protocolError("a verbatim string lacks its format") }
            payload.moveReaderIndex(forwardBy: 4)
        }
        return .bulkString(payload)
    }

    private static func aggregate(_ buffer: inout ByteBuffer, depth: Int) throws(RedisError) -> [RESPValue]?? {
        guard let count = try count(&buffer, limit: maximumElementCount) else { return nil }
        guard let count else { return .some(nil) }
        var values: [RESPValue] = []
        values.reserveCapacity(min(count, 1024))
        for _ in 0..<count {
            guard let value = try parseValue(&buffer, depth: depth + 1) else { return nil }
            values.append(value)
        }
        return .some(values)
    }

    private static func map(_ buffer: inout ByteBuffer, depth: Int) throws(RedisError) -> RESPValue? {
        guard let count = try count(&buffer, limit: maximumElementCount / 2) else { return nil }
        guard let count else { return .null }
        var pairs: [(RESPValue, RESPValue)] = []
        for _ in 0..<count {
            guard let key = try parseValue(&buffer, depth: depth + 1),
                let value = try parseValue(&buffer, depth: depth + 1)
            else { return nil }
            pairs.append((key, value))
        }
        return .map(pairs)
    }

    /// Attributes annotate the reply that follows; the client has no use for them, so they are skipped.
    private static func attribute(_ buffer: inout ByteBuffer, depth: Int) throws(RedisError) -> RESPValue? {
        guard try map(&buffer, depth: depth) != nil else { return nil }
        return try parseValue(&buffer, depth: depth)
    }

    private static func boolean(_ buffer: inout ByteBuffer) throws(RedisError) -> RESPValue? {
        guard let text = try line(&buffer) else { return nil }
        switch text {
        case "t": return .boolean(true)
        case "f": return .boolean(false)
        default: throw .protocolError("'\(text.prefix(40))' is not a boolean")
        }
    }

    private static func double(_ buffer: inout ByteBuffer) throws(RedisError) -> RESPValue? {
        guard let text = try line(&buffer) else { return nil }
        switch text {
        case "inf": return .double(.infinity)
        case "-inf": return .double(-.infinity)
        case "nan": return .double(.nan)
        default:
            guard let value = Double(text) else { throw .protocolError("'\(text.prefix(40))' is not a double") }
            return .double(value)
        }
    }
}
