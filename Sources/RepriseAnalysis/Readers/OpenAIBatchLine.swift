import Reprise

/// A line of an OpenAI Batch API input file: `custom_id`, `method`, `url` (the route) and `body` (the request).
///
/// Batch input carries no time, tokens or answer: records replay in file order and tokens are estimated.
enum OpenAIBatchLine: JSONLineMapping {
    static func matches(_ line: JSONValue) -> Bool {
        line["custom_id"] != nil && line["body"] != nil
    }

    static func record(from line: JSONValue, at location: SourceLocation) throws(LineRejection) -> UsageRecord {
        guard let body = line["body"]?.unwrappingEmbeddedJSON, body.objectValue != nil else {
            throw LineRejection("missing 'body' object")
        }
        let route = line.firstString("url").flatMap(RequestRoute.path(fromURL:)) ?? RequestRoute.inferred(for: body)
        return UsageRecord(model: body.firstString("model"), route: route, request: body, source: location)
    }
}
