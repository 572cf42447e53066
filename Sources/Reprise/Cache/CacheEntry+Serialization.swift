/// The byte form every persistent and network store keeps an entry in: one versioned, length-prefixed
/// record, so an entry written by one replica (or before a restart) reads back identically in another.
///
/// Layout (integers big-endian):
///
/// | bytes | field |
/// | --- | --- |
/// | 4 | magic `RPCE` |
/// | 1 | format version (``CacheEntry/serializationFormatVersion``) |
/// | 2 | ``CacheEntry/version`` |
/// | 2 | status |
/// | 4 × 16 | createdAt, timeToLive, upstreamLatency, staleRetention: seconds and attoseconds, 8 bytes each |
/// | 3 × 8 | prompt, completion and cached prompt tokens |
/// | 4 × (4 + n) | contentType, model, namespace, route: length, then UTF-8 |
/// | 4 + n | body: length, then the bytes |
/// | 1 | semantic source present (1) or not (0); format 2 onward |
/// | 4 + n, 4 + n | when present: scope and text, length then UTF-8 |
/// | 4 + 4 × n | when present: the vector's component count, then each component's IEEE 754 bits |
///
/// Format 1 (written before semantic entries existed) has no semantic field and still reads.
/// Anything else — another magic, an unknown version, a length running past the end, bytes left over,
/// text that is not UTF-8 — is refused with ``CacheEntryDecodingError``, which stores treat as a miss.
extension CacheEntry {
    /// The version of the byte layout this build writes and reads.
    public static let serializationFormatVersion: UInt8 = 2

    static let serializationMagic: [UInt8] = Array("RPCE".utf8)

    /// The largest number of seconds a stored instant or span may hold: 2⁴⁰, about 34,000 years.
    static let longestSeconds: Int64 = 1 << 40

    /// The entry as bytes, in the layout above.
    /// - Complexity: O(n) in the size of the entry.
    public func serialized() -> [UInt8] {
        var writer = ByteWriter(capacity: body.count + 160)
        writer.append(Self.serializationMagic)
        writer.append(Self.serializationFormatVersion)
        writer.appendInteger(UInt16(clamping: version))
        writer.appendInteger(UInt16(clamping: status))
        for duration in [createdAt.sinceEpoch, timeToLive, upstreamLatency, staleRetention] {
            writer.appendInteger(duration.components.seconds)
            writer.appendInteger(duration.components.attoseconds)
        }
        writer.appendInteger(Int64(usage.promptTokens))
        writer.appendInteger(Int64(usage.completionTokens))
        writer.appendInteger(Int64(usage.cachedPromptTokens))
        for text in [contentType, model, namespace, route] { writer.appendSized(Array(text.utf8)) }
        writer.appendSized(body)
        if let semantic {
            writer.append(1)
            writer.appendSized(Array(semantic.scope.utf8))
            writer.appendSized(Array(semantic.text.utf8))
            writer.appendInteger(UInt32(semantic.vector.count))
            for component in semantic.vector { writer.appendInteger(component.bitPattern) }
        } else {
            writer.append(0)
        }
        return writer.bytes
    }

    /// Reads an entry written by ``serialized()``.
    /// - Throws: ``CacheEntryDecodingError`` when `bytes` are not a complete record of a known version.
    /// - Complexity: O(n) in the number of bytes.
    public init(serialized bytes: [UInt8]) throws(CacheEntryDecodingError) {
        var reader = ByteReader(bytes: bytes)
        guard try reader.read(count: 4) == Self.serializationMagic[...] else { throw .notAnEntry }
        let format = try reader.readInteger(UInt8.self)
        guard (1...Self.serializationFormatVersion).contains(format) else { throw .unsupportedVersion(Int(format)) }
        let version = Int(try reader.readInteger(UInt16.self))
        guard version == Self.currentVersion else { throw .unsupportedVersion(version) }
        let status = Int(try reader.readInteger(UInt16.self))
        var durations: [Duration] = []
        for _ in 0..<4 {
            let seconds = try reader.readInteger(Int64.self)
            let attoseconds = try reader.readInteger(Int64.self)
            // An instant or span no clock can reach: the arithmetic of serving it (expiry, age) would trap.
            guard (0...Self.longestSeconds).contains(seconds), (0..<1_000_000_000_000_000_000).contains(attoseconds) else {
                throw .invalidTime
            }
            durations.append(Duration(secondsComponent: seconds, attosecondsComponent: attoseconds))
        }
        let usage = TokenUsage(
            promptTokens: Int(try reader.readInteger(Int64.self)), completionTokens: Int(try reader.readInteger(Int64.self)),
            cachedPromptTokens: Int(try reader.readInteger(Int64.self)))
        var texts: [String] = []
        for _ in 0..<4 {
            guard let text = String(validating: try reader.readSized(), as: UTF8.self) else { throw .invalidText }
            texts.append(text)
        }
        let body = Array(try reader.readSized())
        var semantic: SemanticSource?
        if format >= 2, try reader.readInteger(UInt8.self) == 1 {
            guard let scope = String(validating: try reader.readSized(), as: UTF8.self),
                let text = String(validating: try reader.readSized(), as: UTF8.self)
            else { throw .invalidText }
            let count = Int(try reader.readInteger(UInt32.self))
            guard count <= reader.remaining / 4 else { throw .truncated }
            var vector: [Float] = []
            vector.reserveCapacity(count)
            for _ in 0..<count {
                let component = Float(bitPattern: try reader.readInteger(UInt32.self))
                // A NaN or infinity makes every similarity to it NaN: no embedder writes one.
                guard component.isFinite else { throw .invalidVector }
                vector.append(component)
            }
            semantic = SemanticSource(scope: scope, text: text, vector: vector)
        }
        guard reader.isAtEnd else { throw .trailingBytes(reader.remaining) }
        self.init(
            body: body, status: status, contentType: texts[0], model: texts[1], namespace: texts[2], route: texts[3],
            usage: usage, createdAt: EpochInstant(sinceEpoch: durations[0]), timeToLive: durations[1],
            upstreamLatency: durations[2], staleRetention: durations[3], semantic: semantic)
    }
}

/// Bytes that are not a cache entry this build can read.
public enum CacheEntryDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The record does not start with the entry magic.
    case notAnEntry
    /// The record was written in a layout or entry version this build does not know.
    case unsupportedVersion(Int)
    /// An instant or span outside `0...2⁴⁰` seconds, or attoseconds outside a second.
    case invalidTime
    /// A field runs past the end of the record.
    case truncated
    /// A text field is not UTF-8.
    case invalidText
    /// A component of the semantic vector is NaN or infinite.
    case invalidVector
    /// Bytes follow the last field.
    case trailingBytes(Int)

    public var description: String {
        switch self {
        case .notAnEntry: "not a cache entry (wrong magic)"
        case .unsupportedVersion(let version): "cache entry version \(version) is not supported by this build"
        case .truncated: "cache entry is truncated"
        case .invalidTime: "cache entry holds an instant or duration out of range"
        case .invalidText: "cache entry text field is not UTF-8"
        case .invalidVector: "cache entry holds a semantic vector component that is not a finite number"
        case .trailingBytes(let count): "cache entry has \(count) unexpected trailing bytes"
        }
    }
}

private struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }
    mutating func append(_ more: [UInt8]) { bytes.append(contentsOf: more) }

    mutating func appendInteger<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func appendSized(_ more: [UInt8]) {
        appendInteger(UInt32(more.count))
        bytes.append(contentsOf: more)
    }
}

private struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    var isAtEnd: Bool { offset == bytes.count }
    var remaining: Int { bytes.count - offset }

    mutating func read(count: Int) throws(CacheEntryDecodingError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw .truncated }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func readInteger<T: FixedWidthInteger>(_: T.Type) throws(CacheEntryDecodingError) -> T {
        var value = T.zero
        for byte in try read(count: MemoryLayout<T>.size) { value = value << 8 | T(truncatingIfNeeded: byte) }
        return value
    }

    mutating func readSized() throws(CacheEntryDecodingError) -> ArraySlice<UInt8> {
        try read(count: Int(try readInteger(UInt32.self)))
    }
}
