/// Which CSV column holds which field, from the names in the header.
///
/// Names are compared lower-cased with spaces, hyphens and dots read as underscores, and common aliases are
/// accepted (``aliases``): a Helicone or LiteLLM CSV export, or a spreadsheet with `Time`, `Model`,
/// `Prompt`, `Input Tokens`, `Output Tokens`, reads as well as one with the canonical names.
struct CSVColumnMap {
    enum Field: CaseIterable {
        case timestamp, model, prompt, body, promptTokens, completionTokens, cachedTokens, cost, latencyMilliseconds, route, response
    }

    /// The header names each field is read from, canonical name first.
    static let aliases: [Field: [String]] = [
        .timestamp: [
            "timestamp", "ts", "time", "created", "created_at", "date", "datetime", "request_created_at", "starttime", "start_time",
            "request_time",
        ],
        .model: ["model", "model_name", "request_model", "engine", "model_id"],
        .prompt: ["prompt", "prompt_text", "input", "input_text", "text", "question", "query", "user_prompt", "message", "user_message"],
        .body: ["request_body", "body", "request", "messages", "proxy_server_request"],
        .promptTokens: [
            "prompt_tokens", "input_tokens", "tokens_in", "prompt_token_count", "input_token_count", "input_length", "request_tokens",
        ],
        .completionTokens: [
            "completion_tokens", "output_tokens", "tokens_out", "completion_token_count", "output_token_count", "output_length",
            "response_tokens",
        ],
        .cachedTokens: ["cached_tokens", "cached_prompt_tokens", "cache_read_input_tokens", "prompt_cache_read_tokens"],
        .cost: ["cost_usd", "cost", "spend", "response_cost", "total_cost", "provider_total_cost", "price_usd"],
        .latencyMilliseconds: ["latency_ms", "latency", "duration_ms", "response_time_ms"],
        .route: ["route", "endpoint", "path", "request_path", "url"],
        .response: ["response", "response_body", "completion", "output", "answer", "response_text"],
    ]

    /// The column of each field found in the header.
    private(set) var columns: [Field: Int] = [:]
    /// The number of columns in the header.
    let count: Int

    init(header: [String]) {
        count = header.count
        let names = header.map(Self.normalized)
        for field in Field.allCases {
            for alias in Self.aliases[field]! {
                if let column = names.firstIndex(of: alias) {
                    columns[field] = column
                    break
                }
            }
        }
    }

    /// Whether the header names something to analyse: a prompt, a body or a token count.
    var isUsable: Bool {
        columns[.prompt] != nil || columns[.body] != nil || columns[.promptTokens] != nil || columns[.completionTokens] != nil
    }

    /// The value of `field` in `row`, `nil` when the column is absent or the value empty.
    func value(_ field: Field, in row: [String]) -> String? {
        guard let column = columns[field], column < row.count else { return nil }
        let value = row[column]
        return value.isEmpty ? nil : value
    }

    static func normalized(_ name: String) -> String {
        String(
            name.trimmingSpaces.lowercased().map { character -> Character in
                character == " " || character == "-" || character == "." ? "_" : character
            })
    }
}
