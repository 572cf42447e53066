/// How far reading a set of log files has got.
public struct UsageLogProgress: Sendable, Hashable {
    /// Bytes read from the files so far (compressed bytes for gzip files).
    public var bytesRead: Int
    /// The files' sizes on disk added up.
    public var totalBytes: Int
    public var linesRead: Int

    public init(bytesRead: Int, totalBytes: Int, linesRead: Int) {
        self.bytesRead = bytesRead
        self.totalBytes = totalBytes
        self.linesRead = linesRead
    }

    /// The share read, 0 to 1.
    public var fraction: Double { totalBytes <= 0 ? 0 : min(1, max(0, Double(bytesRead) / Double(totalBytes))) }
}
