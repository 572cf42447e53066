/// A clock that tells wall-clock time, which the cache and the gateway are given rather than reading
/// the system time themselves, so tests can move time forward without sleeping.
public protocol EpochClock: Clock where Instant == EpochInstant, Duration == Swift.Duration {}
