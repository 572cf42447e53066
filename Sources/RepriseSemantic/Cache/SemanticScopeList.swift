import Reprise

/// The entries one semantic scope holds, kept in the cache store beside them so another replica, or this
/// gateway after a restart, can rebuild its vector index for the scope.
///
/// Each member is an entry key, when it expires, and its embedding in half precision (the exact vector is in
/// the entry itself and decides the final similarity). The list is bounded by ``SemanticSettings/scopeLimit``,
/// the members expiring last kept, and expired members are dropped whenever it is written.
///
/// Byte layout (integers big-endian): magic `RPSL`, version 1, the vector dimension (4 bytes), the member
/// count (4 bytes), then per member its key (32 raw bytes), expiry (seconds since the epoch, 8 bytes) and
/// `dimension` half-precision components.
struct SemanticScopeList: Sendable, Hashable {
    struct Member: Sendable, Hashable {
        var key: CacheKey
        var expiresAt: EpochInstant
        var vector: [Float]
    }

    var dimension: Int
    var members: [Member]

    init(dimension: Int, members: [Member] = []) {
        self.dimension = dimension
        self.members = members
    }

    /// The key the list of `scope` is stored under, for vectors made by `embedderName`: another embedder's
    /// vectors are never compared with this one's.
    static func key(namespace: String, scope: String, embedderName: String, keyBuilder: CacheKeyBuilder) -> CacheKey {
        keyBuilder.key(
            namespace: namespace, route: route,
            body: ["scope": .string(scope), "embedder": .string(embedderName)])
    }

    /// The route the list's entry is stored under, so it is never mistaken for an answer.
    static let route = "reprise:semantic-scope"

    /// Adds `additions` (replacing members with the same key), drops those expired at `now`, and keeps the
    /// `limit` members that expire last.
    mutating func merge(_ additions: [Member], now: EpochInstant, limit: Int) {
        var byKey: [CacheKey: Member] = [:]
        for member in members + additions where member.expiresAt > now && member.vector.count == dimension {
            if let existing = byKey[member.key], existing.expiresAt > member.expiresAt { continue }
            byKey[member.key] = member
        }
        members = byKey.values.sorted { ($0.expiresAt, $0.key.hex) > ($1.expiresAt, $1.key.hex) }
        if members.count > limit { members.removeLast(members.count - limit) }
    }

    static let magic: [UInt8] = Array("RPSL".utf8)
    static let version: UInt8 = 1

    func serialized() -> [UInt8] {
        var bytes = Self.magic + [Self.version]
        bytes.reserveCapacity(13 + members.count * (40 + dimension * 2))
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) } }
        append(UInt32(dimension))
        append(UInt32(members.count))
        for member in members {
            bytes.append(contentsOf: member.key.rawBytes)
            append(member.expiresAt.sinceEpoch.components.seconds)
            for component in member.vector { append(Float16(component).bitPattern) }
        }
        return bytes
    }

    /// Reads a list written by ``serialized()``; vectors are renormalised after the rounding to half precision.
    /// - Throws: ``CacheEntryDecodingError`` for anything else.
    init(serialized bytes: [UInt8]) throws(CacheEntryDecodingError) {
        var offset = 0
        func read(_ count: Int) throws(CacheEntryDecodingError) -> ArraySlice<UInt8> {
            guard count >= 0, bytes.count - offset >= count else { throw .truncated }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }
        func integer<T: FixedWidthInteger>(_: T.Type) throws(CacheEntryDecodingError) -> T {
            var value = T.zero
            for byte in try read(MemoryLayout<T>.size) { value = value << 8 | T(truncatingIfNeeded: byte) }
            return value
        }
        guard try read(4) == Self.magic[...] else { throw .notAnEntry }
        let version = try integer(UInt8.self)
        guard version == Self.version else { throw .unsupportedVersion(Int(version)) }
        let dimension = Int(try integer(UInt32.self))
        let count = Int(try integer(UInt32.self))
        guard dimension > 0, count <= (bytes.count - offset) / (40 + dimension * 2) else { throw .truncated }
        var members: [Member] = []
        members.reserveCapacity(count)
        for _ in 0..<count {
            let key = CacheKey(rawBytes: Array(try read(32)))
            let expiresAt = EpochInstant(sinceEpoch: .seconds(try integer(Int64.self)))
            var vector: [Float] = []
            vector.reserveCapacity(dimension)
            for _ in 0..<dimension { vector.append(Float(Float16(bitPattern: try integer(UInt16.self)))) }
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 0 { vector = vector.map { $0 / norm } }
            members.append(Member(key: key, expiresAt: expiresAt, vector: vector))
        }
        guard offset == bytes.count else { throw .trailingBytes(bytes.count - offset) }
        self.init(dimension: dimension, members: members)
    }
}
