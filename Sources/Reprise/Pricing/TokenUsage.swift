/// The tokens one answer consumed, as the upstream reported them in `usage`.
///
/// Every count is held within `0...`\(``limit``): a larger one (from a broken or hostile upstream, a
/// corrupt entry or a log line) is kept at the limit, so that no sum of counts can overflow, and the usage
/// is then not ``isPlausible``. The gateway neither stores nor accounts for an answer whose usage is not.
public struct TokenUsage: Sendable, Hashable, Codable {
    /// The most tokens one count may hold: 2³², far beyond any model's context (a few million tokens).
    /// A count at the limit was clamped there and is not to be believed.
    public static let limit = 1 << 32

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
        self.promptTokens = Self.clamped(promptTokens)
        self.completionTokens = Self.clamped(completionTokens)
        self.cachedPromptTokens = Self.clamped(cachedPromptTokens)
        self.cacheWriteTokens = Self.clamped(cacheWriteTokens)
        self.cacheWriteOneHourTokens = min(Self.clamped(cacheWriteOneHourTokens), self.cacheWriteTokens)
    }

    /// `count` within `0...limit`.
    public static func clamped(_ count: Int) -> Int { min(max(count, 0), limit) }

    /// Whether every count is below ``limit``, so the usage is one an upstream could really have reported.
    public var isPlausible: Bool {
        [promptTokens, completionTokens, cachedPromptTokens, cacheWriteTokens].allSatisfy { $0 < Self.limit }
    }

    /// All tokens of the answer.
    public var totalTokens: Int { promptTokens.addingSaturating(completionTokens) }

    /// Tokens written to the 5-minute cache.
    public var cacheWriteFiveMinuteTokens: Int { cacheWriteTokens - cacheWriteOneHourTokens }

    /// Reads `usage` from an OpenAI-shaped answer: chat and text completions (`prompt_tokens`,
    /// `completion_tokens`, `prompt_tokens_details.cached_tokens`), the Responses API (`input_tokens`,
    /// `output_tokens`, `input_tokens_details.cached_tokens`) and embeddings (`prompt_tokens` only).
    /// - Returns: `nil` when the answer carries no usage.
    public init?(openAIResponse body: JSONValue) {
        guard let usage = body["usage"], usage.objectValue != nil else { return nil }
        let prompt = Self.count(usage["prompt_tokens"]) ?? Self.count(usage["input_tokens"]) ?? 0
        let completion = Self.count(usage["completion_tokens"]) ?? Self.count(usage["output_tokens"]) ?? 0
        let cached = Self.count(usage["prompt_tokens_details"]?["cached_tokens"])
            ?? Self.count(usage["input_tokens_details"]?["cached_tokens"]) ?? 0
        self.init(promptTokens: prompt, completionTokens: completion, cachedPromptTokens: cached)
    }

    /// Reads `usage` from an Anthropic Messages answer. Anthropic's `input_tokens` leaves out the prompt-cache
    /// tokens, so ``promptTokens`` adds `cache_creation_input_tokens` and `cache_read_input_tokens` back;
    /// `cache_creation.ephemeral_1h_input_tokens`, when present, gives the 1-hour share of the writes.
    /// - Returns: `nil` when the answer carries no usage.
    public init?(anthropicResponse body: JSONValue) {
        guard let usage = body["usage"], usage.objectValue != nil else { return nil }
        func count(_ value: JSONValue?) -> Int { Self.count(value) ?? 0 }
        let reads = count(usage["cache_read_input_tokens"])
        var writes = count(usage["cache_creation_input_tokens"])
        let oneHour = count(usage["cache_creation"]?["ephemeral_1h_input_tokens"])
        // The breakdown alone, without the total, still counts.
        writes = max(writes, oneHour + count(usage["cache_creation"]?["ephemeral_5m_input_tokens"]))
        self.init(
            promptTokens: count(usage["input_tokens"]) + writes + reads, completionTokens: count(usage["output_tokens"]),
            cachedPromptTokens: reads, cacheWriteTokens: writes, cacheWriteOneHourTokens: oneHour)
    }

    /// A count as an upstream wrote it: a whole number, clamped to ``limit`` (a number too large for `Int`
    /// included), or `nil` when it is absent or not a whole number (negative numbers read as zero).
    public static func count(_ value: JSONValue?) -> Int? {
        guard case .number(let number) = value else { return nil }
        if let whole = number.intValue { return clamped(whole) }
        // A whole number beyond Int: digits without a fraction, or an exponent that leaves none.
        let double = number.doubleValue
        guard double.rounded() == double, double.magnitude >= Double(limit) else { return nil }
        return double > 0 ? limit : 0
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
