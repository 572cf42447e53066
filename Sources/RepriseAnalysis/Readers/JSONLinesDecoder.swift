import Reprise

/// Reads a JSON-lines file: each line one JSON object, mapped to a record by `Mapping`.
struct JSONLinesDecoder<Mapping: JSONLineMapping>: UsageLineDecoder {
    mutating func decode(_ line: UnsafeBufferPointer<UInt8>, at location: SourceLocation) throws -> UsageRecord? {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw LineRejection("not valid JSON: \(error.reason) at column \(error.column)")
        }
        guard value.objectValue != nil else { throw LineRejection("not a JSON object") }
        return try Mapping.record(from: value, at: location)
    }
}
