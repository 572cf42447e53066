/// The versioned binary record a persistent or shared store keeps for one entry.
///
/// Layout (all integers big-endian):
/// ```
/// "RPRE"                       magic, 4 bytes
/// UInt16 version               CacheEntry.version (currently 1)
/// UInt32 count + bytes         contentType, model, namespace, route (UTF-8), then body
/// Int64 status
/// Int64 × 3                    usage: prompt, completion, cached prompt tokens
/// (Int64 seconds, Int64 attoseconds) × 4
///                              createdAt since the epoch, timeToLive, upstreamLatency, staleRetention
/// ```
/// Durations keep their full precision, so an entry reads back equal to the one stored. A record of
/// another version is refused with ``CacheEntryRecordError``; stores treat that as a miss.
extension CacheEntry {
    static let recordMagic: [UInt8] = Array("RPRE".utf8)

    /// The entry as one binary record.
    /// - Complexity: O(n) in the size of the body.
    public func encodedRecord() -> [UInt8] {
        var record: [UInt8] = []
        record.reserveCapacity(body.count + contentType.utf8.count + model.utf8.count + namespace.utf8.count
            + route.utf8.count + 128)
        record += Self.recordMagic
        Self.append(UInt16(truncatingIfNeeded: version), to: &record)
        for text in [contentType, model, namespace, route] { Self.appendBytes(Array(text.utf8), to: &record) }
        Self.appendBytes(body, to: &record)
        for number in [status, usage.promptTokens, usage.completionTokens, usage.cachedPromptTokens] {
            Self.append(UInt64(bitPattern: Int64(number)), to: &record)
        }
        for duration in [createdAt.sinceEpoch, timeToLive, upstreamLatency, staleRetention] {
            Self.append(UInt64(bitPattern: duration.components.seconds), to: &record)
            Self.append(UInt64(bitPattern: duration.components.attoseconds), to: &record)
        }
        return record
    }

    /// Reads an entry from a record made by ``encodedRecord()``.
    /// - Throws: ``CacheEntryRecordError`` when the bytes are not a record, are cut short, or are of
    ///   another version.
    public init(record: some Collection<UInt8>) throws(CacheEntryRecordError) {
        var reader = RecordReader(bytes: Array(record))
        guard reader.take(4).map(Array.init) == Self.recordMagic else { throw .notARecord }
        let version = Int(try reader.integer(UInt16.self))
        guard version == Self.currentVersion else { throw .unsupportedVersion(version) }
        let contentType = try reader.text()
        let model = try reader.text()
        let namespace = try reader.text()
        let route = try reader.text()
        let body = try reader.lengthPrefixed()
        var numbers: [Int] = []
        for _ in 0..<4 { numbers.append(Int(Int64(bitPattern: try reader.integer(UInt64.self)))) }
        var durations: [Duration] = []
        for _ in 0..<4 {
            let seconds = Int64(bitPattern: try reader.integer(UInt64.self))
            let attoseconds = Int64(bitPattern: try reader.integer(UInt64.self))
            durations.append(Duration(secondsComponent: seconds, attosecondsComponent: attoseconds))
        }
        guard reader.isAtEnd else { throw .truncated }
        self.init(
            body: body, status: numbers[0], contentType: contentType, model: model, namespace: namespace,
            route: route,
            usage: TokenUsage(promptTokens: numbers[1], completionTokens: numbers[2], cachedPromptTokens: numbers[3]),
            createdAt: EpochInstant(sinceEpoch: durations[0]), timeToLive: durations[1],
            upstreamLatency: durations[2], staleRetention: durations[3])
    }

    private static func append<I: FixedWidthInteger>(_ value: I, to record: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { record.append(contentsOf: $0) }
    }

    private static func appendBytes(_ bytes: [UInt8], to record: inout [UInt8]) {
        append(UInt32(truncatingIfNeeded: bytes.count), to: &record)
        record += bytes
    }
}

/// Why bytes could not be read as a ``CacheEntry`` record.
public enum CacheEntryRecordError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes do not start with the record's magic.
    case notARecord
    /// The record was written by a layout this build does not read.
    case unsupportedVersion(Int)
    /// The record ends early or has bytes past its end.
    case truncated
    /// A text field is not valid UTF-8.
    case invalidText

    public var description: String {
        switch self {
        case .notARecord: "The stored value is not a Reprise cache entry record."
        case .unsupportedVersion(let version):
            "The cache entry record has version \(version); this build reads version \(CacheEntry.currentVersion). The entry is ignored and will be replaced."
        case .truncated: "The cache entry record is cut short or has trailing bytes."
        case .invalidText: "A text field of the cache entry record is not valid UTF-8."
        }
    }
}

/// A cursor over a record's bytes that refuses to read past the end.
private struct RecordReader {
    let bytes: [UInt8]
    var offset = 0

    var isAtEnd: Bool { offset == bytes.count }

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func integer<I: FixedWidthInteger>(_: I.Type) throws(CacheEntryRecordError) -> I {
        guard let slice = take(MemoryLayout<I>.size) else { throw .truncated }
        return slice.reduce(I.zero) { ($0 << 8) | I($1) }
    }

    mutating func lengthPrefixed() throws(CacheEntryRecordError) -> [UInt8] {
        let count = Int(try integer(UInt32.self))
        guard let slice = take(count) else { throw .truncated }
        return Array(slice)
    }

    mutating func text() throws(CacheEntryRecordError) -> String {
        let bytes = try lengthPrefixed()
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidText }
        return text
    }
}
