/// A cache configuration the simulation replays the log through.
public enum SimulatedPolicy: Sendable, Hashable, CustomStringConvertible {
    /// Entries live this long from when they were stored; no size bound.
    case timeToLive(Duration)
    /// Entries never expire; no size bound. The ceiling every other policy is measured against.
    case unlimited
    /// At most this many entries, least recently used evicted first; no expiry.
    case entries(Int)
    /// At most this many bytes of answers, least recently used evicted first; no expiry.
    case bytes(Int)

    /// The time-to-live sweep of the report: 1 m, 5 m, 15 m, 1 h, 6 h, 24 h.
    public static let timeToLiveSweep: [SimulatedPolicy] = [60, 300, 900, 3600, 21_600, 86_400].map { .timeToLive(.seconds($0)) }
    /// The capacity sweep of the report, by entries and by bytes.
    public static let capacitySweep: [SimulatedPolicy] =
        [100, 1000, 10_000, 100_000].map { .entries($0) } + [16, 64, 256, 1024].map { .bytes($0 * 1024 * 1024) }

    public var description: String {
        switch self {
        case .timeToLive(let ttl):
            let seconds = Int(ttl.components.seconds)
            if seconds % 3600 == 0 { return "TTL \(seconds / 3600) h" }
            if seconds % 60 == 0 { return "TTL \(seconds / 60) min" }
            return "TTL \(seconds) s"
        case .unlimited: return "unlimited"
        case .entries(let count): return "\(count) entries (LRU)"
        case .bytes(let bytes): return "\(bytes / (1024 * 1024)) MiB (LRU)"
        }
    }
}
