import Reprise

/// A line exported from another LLM gateway's log: LiteLLM (spend logs and its standard logging payload)
/// or Helicone (request exports).
///
/// | what | LiteLLM | Helicone |
/// | --- | --- | --- |
/// | start time | `startTime` (Unix seconds or a date text) | `request_created_at` |
/// | end time | `endTime` | `response_created_at` |
/// | latency | `response_time` (seconds), else end − start | `latency` (ms), else end − start |
/// | model | `model`, `model_group` | `model`, `request_model` |
/// | request | `proxy_server_request`, else `messages` (+ `model_parameters`) | `request_body` |
/// | answer | `response` | `response_body` |
/// | tokens | `prompt_tokens`, `completion_tokens`, `cache_read_input_tokens` | the same names, `prompt_cache_read_tokens` |
/// | cost (USD) | `response_cost`, `spend` | `cost`, `cost_usd`, `provider_total_cost` |
/// | route | `call_type` | `request_path`, `path`, `target_url` |
///
/// Bodies may be objects or JSON written in strings (database exports). When no tokens are given they are
/// read from the answer's `usage`.
enum GatewayExportLine: JSONLineMapping {
    static func matches(_ line: JSONValue) -> Bool {
        line.firstMember(
            "startTime", "response_cost", "spend", "request_created_at", "request_body", "proxy_server_request", "call_type",
            "provider_total_cost") != nil
    }

    static func record(from line: JSONValue, at location: SourceLocation) throws(LineRejection) -> UsageRecord {
        let start = try line.firstMember("startTime", "request_created_at", "created_at", "timestamp")
            .flatMap { value throws(LineRejection) in try LogTimestamp.instant(from: value) }
        let end = try line.firstMember("endTime", "response_created_at")
            .flatMap { value throws(LineRejection) in try LogTimestamp.instant(from: value) }
        let body = request(in: line)
        let response = line.firstMember("response", "response_body")?.unwrappingEmbeddedJSON
        let model = line.firstString("model", "request_model", "model_group", "response_model") ?? body?.firstString("model")
        let usage = tokens(in: line) ?? response.flatMap { TokenUsage(openAIResponse: $0) }
        guard model != nil || body != nil || usage != nil else {
            throw LineRejection("no model, request or token counts")
        }
        return UsageRecord(
            timestamp: start, model: model, route: route(of: line, body: body), request: body, response: response,
            usage: usage, costUSD: line.firstDouble("response_cost", "spend", "cost_usd", "cost", "provider_total_cost"),
            latency: latency(of: line, start: start, end: end), source: location)
    }

    /// The request body: logged whole, or rebuilt from the model, messages and parameters.
    private static func request(in line: JSONValue) -> JSONValue? {
        for field in ["proxy_server_request", "request_body"] {
            if let body = line[field]?.unwrappingEmbeddedJSON, body.hasPromptFields { return body }
        }
        guard let messages = line["messages"]?.unwrappingEmbeddedJSON, messages.arrayValue?.isEmpty == false else { return nil }
        var members = line["model_parameters"]?.unwrappingEmbeddedJSON.objectValue ?? [:]
        members["messages"] = messages
        if let model = line.firstString("model") { members["model"] = .string(model) }
        return .object(members)
    }

    private static func tokens(in line: JSONValue) -> TokenUsage? {
        let prompt = line.firstInt("prompt_tokens")
        let completion = line.firstInt("completion_tokens")
        guard prompt != nil || completion != nil else { return nil }
        return TokenUsage(
            promptTokens: prompt ?? 0, completionTokens: completion ?? 0,
            cachedPromptTokens: line.firstInt("cache_read_input_tokens", "prompt_cache_read_tokens") ?? 0)
    }

    private static func route(of line: JSONValue, body: JSONValue?) -> String {
        if let path = line.firstString("request_path", "path", "target_url", "url").flatMap(RequestRoute.path(fromURL:)) {
            return path
        }
        // LiteLLM's call types, with their `a…` async spellings.
        switch line.firstString("call_type") {
        case "completion", "acompletion": return RequestRoute.chatCompletions
        case "text_completion", "atext_completion": return "/v1/completions"
        case "embedding", "aembedding": return "/v1/embeddings"
        case "responses", "aresponses": return "/v1/responses"
        case "anthropic_messages": return "/v1/messages"
        default: return body.map(RequestRoute.inferred(for:)) ?? RequestRoute.chatCompletions
        }
    }

    private static func latency(of line: JSONValue, start: EpochInstant?, end: EpochInstant?) -> Duration? {
        if let milliseconds = line.firstDouble("latency", "latency_ms") { return .milliseconds(milliseconds) }
        if let seconds = line.firstDouble("response_time") { return .seconds(seconds) }
        guard let start, let end, start <= end else { return nil }
        return start.duration(to: end)
    }
}
