import NIOCore

/// One request of memcached's meta text protocol, as this client sends it.
///
/// Keys are always plain printable ASCII of at most 250 bytes (``MemcachedKeys`` hashes anything
/// longer), so no command needs the base64 key mode.
enum MemcachedCommand: Sendable, Equatable {
    /// `mg <key> v f` — the value and its client flags; `quiet` adds `q k` so a miss says nothing and a hit
    /// names its key, for batches ended by ``noop``.
    case get(key: String, quiet: Bool)
    /// `ms <key> <datalen> T<ttl> F<flags>` followed by the data.
    case set(key: String, value: ByteBuffer, timeToLiveSeconds: Int, flags: UInt32)
    /// `md <key>`.
    case delete(key: String)
    /// `ma <key> N0 J<initial> D<delta> v` — increments, creating the counter at `initial` when missing.
    case increment(key: String, initial: UInt64, delta: UInt64)
    /// `ms <key> <datalen> T0 ME` — stores only when the key does not exist (add mode).
    case add(key: String, value: ByteBuffer)
    /// `mn` — answered with `MN` once every request before it is answered.
    case noop
    /// `stats` — the server's counters, as `STAT <name> <value>` lines ended by `END`.
    case stats

    func write(into buffer: inout ByteBuffer) {
        switch self {
        case .get(let key, let quiet):
            buffer.writeString(quiet ? "mg \(key) v f q k\r\n" : "mg \(key) v f\r\n")
        case .set(let key, let value, let timeToLive, let flags):
            buffer.writeString("ms \(key) \(value.readableBytes) T\(timeToLive) F\(flags)\r\n")
            buffer.writeImmutableBuffer(value)
            buffer.writeString("\r\n")
        case .delete(let key):
            buffer.writeString("md \(key)\r\n")
        case .increment(let key, let initial, let delta):
            buffer.writeString("ma \(key) N0 J\(initial) D\(delta) v\r\n")
        case .add(let key, let value):
            buffer.writeString("ms \(key) \(value.readableBytes) T0 ME\r\n")
            buffer.writeImmutableBuffer(value)
            buffer.writeString("\r\n")
        case .noop:
            buffer.writeString("mn\r\n")
        case .stats:
            buffer.writeString("stats\r\n")
        }
    }
}

/// One answer of the meta protocol.
enum MemcachedResponse: Sendable, Equatable {
    /// `VA <size> <flags>*` and the data; `key` when the request asked for it (`k`).
    case value(ByteBuffer, flags: UInt32?, key: String?)
    /// `HD` — done (stored, deleted, or a hit without value).
    case done
    /// `NS` — not stored (for example an add on an existing key).
    case notStored
    /// `EX` — exists (compare-and-swap mismatch).
    case exists
    /// `NF` — not found (delete or arithmetic on a missing key).
    case notFound
    /// `EN` — miss.
    case miss
    /// `MN` — end of a pipelined batch.
    case noop
    /// `STAT <name> <value>` — one counter of a `stats` answer.
    case stat(name: String, value: String)
    /// `END` — end of a `stats` answer.
    case end
    /// `SERVER_ERROR <message>`; the connection stays usable.
    case serverError(String)
    /// `CLIENT_ERROR <message>`.
    case clientError(String)
}

/// An answer that does not follow the meta protocol; the connection that produced it is closed.
struct MemcachedProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    let detail: String
    var description: String { "memcached protocol error: \(detail)" }
}
