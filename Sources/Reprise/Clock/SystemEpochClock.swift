#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The system's real-time clock.
public struct SystemEpochClock: EpochClock {
    public init() {}

    public var now: EpochInstant {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return EpochInstant(sinceEpoch: .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec))
    }

    public var minimumResolution: Duration { .nanoseconds(1) }

    public func sleep(until deadline: EpochInstant, tolerance: Duration?) async throws {
        let delay = now.duration(to: deadline)
        if delay > .zero {
            try await Task.sleep(for: delay, tolerance: tolerance, clock: .continuous)
        }
    }
}
