import Foundation

/// The system's real-time clock.
public struct SystemEpochClock: EpochClock {
    public init() {}

    public var now: EpochInstant {
        // Foundation's reading of the real-time clock, to the microsecond (a Double of seconds since 1970
        // keeps about a quarter of a microsecond today).
        let microseconds = (Date().timeIntervalSince1970 * 1_000_000).rounded()
        return EpochInstant(sinceEpoch: .microseconds(Int64(microseconds)))
    }

    public var minimumResolution: Duration { .microseconds(1) }

    public func sleep(until deadline: EpochInstant, tolerance: Duration?) async throws {
        let delay = now.duration(to: deadline)
        if delay > .zero {
            try await Task.sleep(for: delay, tolerance: tolerance, clock: .continuous)
        }
    }
}
