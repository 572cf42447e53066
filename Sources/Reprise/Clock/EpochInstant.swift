/// A point in wall-clock time, as a duration since 1970-01-01T00:00:00Z.
///
/// Cache entries carry their creation time in this form so that their age means the same thing in
/// every replica and after a restart.
public struct EpochInstant: InstantProtocol, Sendable, Hashable, Codable {
    /// The time elapsed since the Unix epoch.
    public var sinceEpoch: Duration

    public init(sinceEpoch: Duration) {
        self.sinceEpoch = sinceEpoch
    }

    /// The instant `milliseconds` after the epoch.
    public init(millisecondsSinceEpoch milliseconds: Int64) {
        self.sinceEpoch = .milliseconds(milliseconds)
    }

    /// Whole milliseconds since the epoch.
    public var millisecondsSinceEpoch: Int64 {
        let (seconds, attoseconds) = sinceEpoch.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// Fractional seconds since the epoch.
    public var secondsSinceEpoch: Double {
        let (seconds, attoseconds) = sinceEpoch.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    public func advanced(by duration: Duration) -> EpochInstant {
        EpochInstant(sinceEpoch: sinceEpoch + duration)
    }

    public func duration(to other: EpochInstant) -> Duration {
        other.sinceEpoch - sinceEpoch
    }

    public static func < (lhs: EpochInstant, rhs: EpochInstant) -> Bool {
        lhs.sinceEpoch < rhs.sinceEpoch
    }

    public init(from decoder: any Decoder) throws {
        self.init(millisecondsSinceEpoch: try decoder.singleValueContainer().decode(Int64.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(millisecondsSinceEpoch)
    }
}
