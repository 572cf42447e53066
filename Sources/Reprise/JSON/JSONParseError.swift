/// Why a JSON document could not be read, and where.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, in words a client can act on.
    public let reason: String
    /// The byte offset of the problem from the start of the document.
    public let offset: Int
    /// The 1-based line of the problem.
    public let line: Int
    /// The 1-based column (in bytes) of the problem.
    public let column: Int

    public var description: String {
        "\(reason) at line \(line), column \(column)"
    }
}
