import Reprise

/// One JSON-lines format: how to recognize its lines and map one to a record.
protocol JSONLineMapping {
    /// Whether `line` (a JSON object) has this format's fields; used to detect the format.
    static func matches(_ line: JSONValue) -> Bool

    /// The record `line` (a JSON object) describes.
    /// - Throws: ``LineRejection`` when required fields are missing or malformed.
    static func record(from line: JSONValue, at location: SourceLocation) throws(LineRejection) -> UsageRecord
}
