/// Why one entry of a log was skipped; the reader counts it and keeps going.
struct LineRejection: Error {
    var reason: String
    /// Where the entry started, when it is not the line being read (a CSV record spanning lines).
    var line: Int?

    init(_ reason: String, line: Int? = nil) {
        self.reason = reason
        self.line = line
    }
}
