/// A line (or CSV record) that was skipped, where it is and why.
public struct UsageLogProblem: Sendable, Hashable, CustomStringConvertible {
    /// The file and the 1-based line the entry starts on.
    public var location: SourceLocation
    /// What is wrong with it.
    public var reason: String

    public init(location: SourceLocation, reason: String) {
        self.location = location
        self.reason = reason
    }

    public var description: String { "\(location): \(reason)" }
}
