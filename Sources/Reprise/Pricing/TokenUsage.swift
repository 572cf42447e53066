/// The tokens one answer consumed, as the upstream reported them in `usage`.
public struct TokenUsage: Sendable, Hashable, Codable {
    /// Input tokens, including any the provider read from or wrote to its own prompt cache.
    public var promptTokens: Int
    /// Output tokens.
    public var completionTokens: Int
    /// Input tokens the provider read from its prompt cache (billed at the cached-input price).
    public var cachedPromptTokens: Int
    /// Input tokens the provider wrote to its prompt cache (Anthropic's `cache_creation_input_tokens`),
    /// 1-hour writes included.
    public var cacheWriteTokens: Int
    /// Of ``cacheWriteTokens``, those written to the 1-hour cache; the rest went to the 5-minute cache.
    public var cacheWriteOneHourTokens: Int

    public init(
        promptTokens: Int = 0, completionTokens: Int = 0, cachedPromptTokens: Int = 0, cacheWriteTokens: Int = 0,
        cacheWriteOneHourTokens: Int = 0
    ) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedPromptTokens = cachedPromptTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.cacheWriteOneHourTokens = min(cacheWriteOneHourTokens, cacheWriteTokens)
    }

    /// All tokens of the answer.
    public var totalTokens: Int { promptTokens + completionTokens }

    /// Tokens written to the 5-minute cache.
    public var cacheWriteFiveMinuteTokens: Int { cacheWriteTokens - cacheWriteOneHourTokens }

    /// Reads `usage` from an OpenAI-shaped answer: chat and text completions (`prompt_tokens`,
    /// `completion_tokens`, `prompt_tokens_details.cached_tokens`), the Responses API (`input_tokens`,
    /// `output_tokens`, `input_tokens_details.cached_tokens`) and embeddings (`prompt_tokens` only).
    /// - Returns: `nil` when the answer carries no usage.
    public init?(openAIResponse body: JSONValue) {
        guard let usage = body["usage"], usage.objectValue != nil else { return nil }
        let prompt = usage["prompt_tokens"]?.intValue ?? usage["input_tokens"]?.intValue ?? 0
        let completion = usage["completion_tokens"]?.intValue ?? usage["output_tokens"]?.intValue ?? 0
        let cached = usage["prompt_tokens_details"]?["cached_tokens"]?.intValue
            ?? usage["input_tokens_details"]?["cached_tokens"]?.intValue ?? 0
        self.init(promptTokens: max(prompt, 0), completionTokens: max(completion, 0), cachedPromptTokens: max(cached, 0))
    }

    /// Reads `usage` from an Anthropic Messages answer. Anthropic's `input_tokens` leaves out the prompt-cache
    /// tokens, so ``promptTokens`` adds `cache_creation_input_tokens` and `cache_read_input_tokens` back;
    /// `cache_creation.ephemeral_1h_input_tokens`, when present, gives the 1-hour share of the writes.
    /// - Returns: `nil` when the answer carries no usage.
    public init?(anthropicResponse body: JSONValue) {
        guard let usage = body["usage"], usage.objectValue != nil else { return nil }
        func count(_ value: JSONValue?) -> Int { max(value?.intValue ?? 0, 0) }
        let reads = count(usage["cache_read_input_tokens"])
        var writes = count(usage["cache_creation_input_tokens"])
        let oneHour = count(usage["cache_creation"]?["ephemeral_1h_input_tokens"])
        // The breakdown alone, without the total, still counts.
        writes = max(writes, oneHour + count(usage["cache_creation"]?["ephemeral_5m_input_tokens"]))
        self.init(
            promptTokens: count(usage["input_tokens"]) + writes + reads, completionTokens: count(usage["output_tokens"]),
            cachedPromptTokens: reads, cacheWriteTokens: writes, cacheWriteOneHourTokens: oneHour)
    }

    private enum CodingKeys: String, CodingKey {
        case promptTokens, completionTokens, cachedPromptTokens, cacheWriteTokens, cacheWriteOneHourTokens
    }

    /// Decodes usage stored before the cache-write counts existed as having none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            promptTokens: try container.decode(Int.self, forKey: .promptTokens),
            completionTokens: try container.decode(Int.self, forKey: .completionTokens),
            cachedPromptTokens: try container.decodeIfPresent(Int.self, forKey: .cachedPromptTokens) ?? 0,
            cacheWriteTokens: try container.decodeIfPresent(Int.self, forKey: .cacheWriteTokens) ?? 0,
            cacheWriteOneHourTokens: try container.decodeIfPresent(Int.self, forKey: .cacheWriteOneHourTokens) ?? 0)
    }
}
