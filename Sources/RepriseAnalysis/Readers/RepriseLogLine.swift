import Reprise

/// A line of Reprise's own request log (``RequestLogRecord``, JSON lines).
///
/// The cost of a record is what the call cost upstream whether or not the gateway served it from cache
/// (`cost_usd` + `saved_usd`), so a replay can decide afresh what a cache would have saved; it is `nil` when
/// the gateway had no price for the model (`priced: false`), so the price table applies. The cache key the
/// gateway computed is kept as ``UsageRecord/key``.
enum RepriseLogLine: JSONLineMapping {
    static func matches(_ line: JSONValue) -> Bool {
        line["cache_status"] != nil && line["route"] != nil && line["ts"] != nil
    }

    static func record(from line: JSONValue, at location: SourceLocation) throws(LineRejection) -> UsageRecord {
        guard let time = line["ts"], time != .null else { throw LineRejection("missing 'ts'") }
        guard let route = line.firstString("route") else { throw LineRejection("missing 'route'") }
        let usage = TokenUsage(
            promptTokens: line.firstInt("prompt_tokens") ?? 0, completionTokens: line.firstInt("completion_tokens") ?? 0,
            cachedPromptTokens: line.firstInt("cached_tokens") ?? 0, cacheWriteTokens: line.firstInt("cache_write_tokens") ?? 0,
            cacheWriteOneHourTokens: line.firstInt("cache_write_1h_tokens") ?? 0)
        var cost: Double?
        if line["priced"]?.boolValue != false {
            cost = (line.firstDouble("cost_usd") ?? 0) + (line.firstDouble("saved_usd") ?? 0)
        }
        return UsageRecord(
            timestamp: try LogTimestamp.instant(from: time), model: line.firstString("model"), route: route,
            request: body(line["request_body"]), response: body(line["response_body"]), usage: usage, costUSD: cost,
            latency: line.firstDouble("latency_ms").map { .milliseconds($0) }, key: line.firstString("key"), source: location)
    }

    /// A logged body (a JSON text), parsed; `nil` when absent or not JSON (the client sent something else).
    private static func body(_ value: JSONValue?) -> JSONValue? {
        guard case .string(let text) = value else { return nil }
        return try? JSONParser.parse(text)
    }
}
