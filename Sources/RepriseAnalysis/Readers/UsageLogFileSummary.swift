/// What reading one file found: its format and how many of its entries became records.
///
/// An entry is a non-empty line, or a CSV record (which may span lines); a CSV header is not an entry.
public struct UsageLogFileSummary: Sendable, Hashable {
    /// The path as given.
    public var path: String
    /// The format the file was read as; `nil` when it held no entries.
    public var format: UsageLogFormat?
    /// Whether the file was gzip-compressed.
    public var isCompressed = false
    /// Physical lines read, empty ones included.
    public var linesRead = 0
    /// Entries that became records.
    public var records = 0
    /// Entries skipped as unreadable.
    public var skippedEntries = 0

    public init(path: String, format: UsageLogFormat? = nil) {
        self.path = path
        self.format = format
    }

    /// Entries seen: records plus skipped ones.
    public var entries: Int { records + skippedEntries }

    /// Whether more than half of the file's entries were unreadable.
    public var isMostlyUnreadable: Bool { skippedEntries * 2 > entries }
}
