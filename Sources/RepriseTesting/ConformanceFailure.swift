/// A store that broke one of the ``CacheStoreConformance`` checks: which one, and how.
public struct ConformanceFailure: Error, Sendable, CustomStringConvertible {
    /// The check that failed.
    public let check: CacheStoreConformance.Check
    /// What the store did wrong, with the expected and the actual outcome.
    public let message: String

    public init(check: CacheStoreConformance.Check, message: String) {
        self.check = check
        self.message = message
    }

    public var description: String {
        "CacheStore conformance check '\(check.rawValue)' failed: \(message)"
    }
}
