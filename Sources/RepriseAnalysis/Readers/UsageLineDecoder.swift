/// Turns the lines of one file, in order, into records.
protocol UsageLineDecoder {
    /// Whether an entry is open across lines (a quoted CSV field): empty lines then belong to it.
    var isInsideEntry: Bool { get }

    /// The record that `line` completes; `nil` when the line is a header or continues an entry.
    /// - Throws: ``LineRejection`` for an entry to skip; ``UsageLogError`` when the whole file is unusable.
    mutating func decode(_ line: UnsafeBufferPointer<UInt8>, at location: SourceLocation) throws -> UsageRecord?

    /// Called at the end of the file.
    /// - Throws: ``LineRejection`` for an entry left open.
    mutating func finish() throws(LineRejection)
}

extension UsageLineDecoder {
    var isInsideEntry: Bool { false }
    mutating func finish() throws(LineRejection) {}
}
