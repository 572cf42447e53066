import Reprise

/// Reads usage logs, one file after another in the order given, into ``UsageRecord``s.
///
/// Each file's format is detected from its first lines (see ``UsageLogFormat/detect(_:)``) unless one is
/// forced; gzip files are decompressed on the fly. Files are read in 1 MiB chunks and each record is
/// handed to the caller and dropped, so memory does not grow with the number of lines.
///
/// An entry that cannot be read is counted and skipped; ``summary`` keeps the first few with file, line and
/// reason. Whether to go on with what was read is the caller's decision:
/// ``UsageLogReadSummary/requireMostlyReadable()`` fails when more than half of the entries were bad.
///
/// ```swift
/// var reader = UsageLogReader(paths: ["requests.jsonl.gz", "export.csv"])
/// try reader.forEach { record in analyzer.add(record) }
/// try reader.summary.requireMostlyReadable()
/// ```
public struct UsageLogReader: Sendable {
    /// The files, in reading order.
    public let paths: [String]
    /// The format every file is read as; `nil` to detect each file's own.
    public let format: UsageLogFormat?
    /// Counts and problems of the last ``forEach(_:)``.
    public private(set) var summary = UsageLogReadSummary()

    public init(paths: [String], format: UsageLogFormat? = nil) {
        self.paths = paths
        self.format = format
    }

    /// Reads every file and calls `body` with each record, in file order.
    ///
    /// Every file is checked to be readable before the first is read, so a mistyped path fails at once.
    /// - Throws: ``UsageLogError`` for a file that is missing, unreadable, damaged gzip, or of no known
    ///   format; or what `body` throws.
    /// - Complexity: O(n) in the size of the input; memory O(1 MiB + the longest line).
    public mutating func forEach(_ body: (UsageRecord) throws -> Void) throws {
        try forEach(progress: { _ in }, body)
    }

    /// Reads every file as ``forEach(_:)`` does, telling `progress` how far it has got every few thousand
    /// lines.
    public mutating func forEach(progress: (UsageLogProgress) -> Void, _ body: (UsageRecord) throws -> Void) throws {
        summary = UsageLogReadSummary()
        let sizes = try paths.map { try LogByteSource(path: $0).fileSize }
        var bytesBefore = 0
        for (path, size) in zip(paths, sizes) {
            let linesBefore = summary.linesRead
            try UsageLogFileReader(path: path, forcedFormat: format).read(into: &summary, progress: { bytes, lines in
                progress(UsageLogProgress(bytesRead: bytesBefore + bytes, totalBytes: sizes.reduce(0, +), linesRead: linesBefore + lines))
            }, body)
            bytesBefore += size
        }
    }
}
