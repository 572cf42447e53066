/// The tokens one answer consumed, as the upstream reported them in `usage`.
public struct TokenUsage: Sendable, Hashable, Codable {
    /// Input tokens, including any the provider served from its own prompt cache.
    public var promptTokens: Int
    /// Output tokens.
    public var completionTokens: Int
    /// Input tokens the provider served from its prompt cache (billed at the cached-input price).
    public var cachedPromptTokens: Int

    public init(promptTokens: Int = 0, completionTokens: Int = 0, cachedPromptTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedPromptTokens = cachedPromptTokens
    }

    /// All tokens of the answer.
    public var totalTokens: Int { promptTokens + completionTokens }

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
}
