import RepriseAnalysis

extension UsageLogFormat {
    /// The format a `--format` value names; `nil` when the option is not given.
    /// - Throws: ``CLIError`` listing the formats when the value names none.
    static func forced(by argument: String?) throws -> UsageLogFormat? {
        guard let argument else { return nil }
        guard let format = UsageLogFormat(argument: argument) else {
            throw CLIError("--format must be one of \(allCases.map(\.rawValue).joined(separator: ", ")), got '\(argument)'.")
        }
        return format
    }
}
