/// A configuration file, environment variable or flag that cannot be used, with what to do about it.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case unreadableFile
        case invalidFile
        case invalidValue
    }

    private let code: Code
    /// The whole message: what is wrong, where, and what to do.
    public let message: String

    public var description: String { message }

    /// A file that could not be read at all.
    public static func unreadableFile(_ path: String, reason: String) -> ConfigurationError {
        ConfigurationError(code: .unreadableFile, message: "Cannot read '\(path)': \(reason).")
    }

    /// A file that is not valid YAML or JSON of the expected shape.
    public static func invalidFile(_ path: String, reason: String) -> ConfigurationError {
        ConfigurationError(code: .invalidFile, message: "'\(path)' is not a valid configuration: \(reason).")
    }

    /// One value that is out of range or malformed; `source` is a file path, `environment` or `flag`.
    public static func invalidValue(_ key: String, in source: String, reason: String) -> ConfigurationError {
        ConfigurationError(code: .invalidValue, message: "Configuration value '\(key)' in \(source) \(reason).")
    }

    /// A readable account of a `DecodingError`, naming the key path.
    public static func describe(decodingError error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "'\(path(context.codingPath))' should be \(type): \(context.debugDescription)"
        case .valueNotFound(_, let context):
            return "'\(path(context.codingPath))' is missing a value"
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return "'\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)' is required"
        case .dataCorrupted(let context):
            let where_ = path(context.codingPath)
            return (where_.isEmpty ? "" : "'\(where_)': ") + context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }
}
