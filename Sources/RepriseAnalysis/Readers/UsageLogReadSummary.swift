/// What a read of one or more usage logs found: counts per file, and the first few problems.
public struct UsageLogReadSummary: Sendable, Hashable {
    /// How many problems are kept (the rest are only counted).
    public static let problemLimit = 5

    /// One summary per file, in the order read.
    public internal(set) var files: [UsageLogFileSummary] = []
    /// The first ``problemLimit`` skipped entries, with file, line and reason.
    public internal(set) var problems: [UsageLogProblem] = []

    public init() {}

    /// Physical lines read in all files.
    public var linesRead: Int { files.reduce(0) { $0 + $1.linesRead } }
    /// Records produced in all files.
    public var records: Int { files.reduce(0) { $0 + $1.records } }
    /// Entries skipped in all files.
    public var skippedEntries: Int { files.reduce(0) { $0 + $1.skippedEntries } }

    /// Whether more than half of all entries (non-empty lines, or CSV records) were unreadable: the input is
    /// then probably not a usage log, or not in the format it was read as.
    public var isMostlyUnreadable: Bool { skippedEntries * 2 > records + skippedEntries }

    /// Throws when ``isMostlyUnreadable``, naming the file with the most skipped entries and its first problem.
    public func requireMostlyReadable() throws(UsageLogError) {
        guard isMostlyUnreadable, let worst = files.max(by: { $0.skippedEntries < $1.skippedEntries }) else { return }
        throw .mostlyUnreadable(worst, firstProblem: problems.first { $0.location.file == worst.path })
    }

    mutating func note(_ problem: UsageLogProblem) {
        if problems.count < Self.problemLimit { problems.append(problem) }
    }
}
