/// A usage log that cannot be read at all, or not enough of it to analyse, with what to do about it.
public struct UsageLogError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case unreadableFile
        case corruptCompression
        case undetectableFormat
        case unusableHeader
        case mostlyUnreadable
    }

    private let code: Code
    /// The file the problem is in.
    public let file: String
    /// The whole message: what is wrong, in which file, and what to do.
    public let message: String

    public var description: String { message }

    /// A file that does not exist, is a directory, or cannot be opened or read.
    public static func unreadableFile(_ path: String, reason: String) -> UsageLogError {
        UsageLogError(code: .unreadableFile, file: path, message: "Cannot read '\(path)': \(reason). Check the path and its permissions.")
    }

    /// A file that starts like gzip but whose compressed data is damaged or cut short.
    public static func corruptCompression(_ path: String, reason: String) -> UsageLogError {
        UsageLogError(
            code: .corruptCompression, file: path,
            message: "'\(path)' is gzip-compressed but cannot be decompressed: \(reason). Check the file is complete.")
    }

    /// A file whose first lines match none of the known formats.
    public static func undetectableFormat(_ path: String, line: Int, start: String) -> UsageLogError {
        let choices = UsageLogFormat.allCases.map(\.rawValue).joined(separator: ", ")
        return UsageLogError(
            code: .undetectableFormat, file: path,
            message: "Cannot tell the log format of '\(path)' from its first lines (line \(line) starts \"\(start)\"). "
                + "Pass --format with one of: \(choices).")
    }

    /// A CSV file whose header names none of the columns the reader knows.
    public static func unusableHeader(_ path: String, columns: [String]) -> UsageLogError {
        UsageLogError(
            code: .unusableHeader, file: path,
            message: "'\(path)' line 1: the CSV header names no known column (it has: \(columns.joined(separator: ", "))). "
                + "Name at least a prompt or token-count column, such as timestamp, model, prompt, prompt_tokens, completion_tokens.")
    }

    /// Input of which more than half the entries could not be read.
    public static func mostlyUnreadable(_ file: UsageLogFileSummary, firstProblem: UsageLogProblem?) -> UsageLogError {
        let first = firstProblem.map { " First problem: \($0)." } ?? ""
        return UsageLogError(
            code: .mostlyUnreadable, file: file.path,
            message: "Most of the input could not be read: \(file.skippedEntries) of \(file.entries) entries of '\(file.path)' "
                + "were skipped.\(first) Check that it is a usage log, or pass --format.")
    }
}
