import Reprise

/// A line of OpenAI-style JSONL: a request body (`model` with `messages`, `prompt` or `input`), optionally
/// with the log's own fields beside it, or wrapped as `{"request": {...}, "response": {...}}`.
///
/// Fields read beside the body: `response` (an object, or JSON in a string), `usage`, a time in `created`
/// (Unix seconds), `timestamp`, `ts` or `created_at`, `cost_usd`/`cost`, `latency_ms`/`duration_ms`, and a
/// `route`, `endpoint` or `url`. These are removed from the body, so the cache key is computed over what
/// was sent.
enum OpenAIRequestLine: JSONLineMapping {
    /// Members of a line that belong to the log, not to the request.
    static let logFields: Set<String> = [
        "response", "usage", "created", "timestamp", "ts", "created_at", "cost", "cost_usd", "latency_ms", "duration_ms",
        "route", "endpoint", "url", "id", "request_id",
    ]

    static func matches(_ line: JSONValue) -> Bool {
        line.hasPromptFields || line["request"]?.hasPromptFields == true
    }

    static func record(from line: JSONValue, at location: SourceLocation) throws(LineRejection) -> UsageRecord {
        let wrapped = line["request"]?.unwrappingEmbeddedJSON
        let body = wrapped?.objectValue != nil ? wrapped! : withoutLogFields(line)
        guard body.hasPromptFields else { throw LineRejection("no request: expected 'messages', 'prompt' or 'input'") }
        let response = line["response"]?.unwrappingEmbeddedJSON
        let usage = line["usage"].flatMap { TokenUsage(openAIResponse: ["usage": $0]) }
            ?? response.flatMap { TokenUsage(openAIResponse: $0) }
        var timestamp: EpochInstant?
        if let created = line["created"], created != .null {
            timestamp = try LogTimestamp.instant(from: created, unit: .seconds)
        } else if let time = line.firstMember("timestamp", "ts", "created_at") {
            timestamp = try LogTimestamp.instant(from: time)
        }
        let route = line.firstString("route", "endpoint", "url").flatMap(RequestRoute.path(fromURL:))
            ?? RequestRoute.inferred(for: body)
        return UsageRecord(
            timestamp: timestamp, model: body.firstString("model") ?? response?.firstString("model"), route: route,
            request: body, response: response, usage: usage, costUSD: line.firstDouble("cost_usd", "cost"),
            latency: line.firstDouble("latency_ms", "duration_ms").map { .milliseconds($0) }, source: location)
    }

    /// The line without its log fields; hashes each member once, and copies nothing for a bare body.
    private static func withoutLogFields(_ line: JSONValue) -> JSONValue {
        guard case .object(var members) = line else { return line }
        let present = members.keys.filter(logFields.contains)
        for key in present { members.removeValue(forKey: key) }
        return .object(members)
    }
}
