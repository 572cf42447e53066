import Reprise

/// Whether the gateway adds Anthropic prompt-cache breakpoints to requests that set none, and each model's
/// minimum cacheable prefix.
///
/// Keys (`prompt_cache` in the configuration file):
/// - `auto_breakpoints`: off by default (`REPRISE_AUTO_BREAKPOINTS`);
/// - `minimum_tokens`: an ordered list of `{model: <glob>, tokens: N}`, the first matching model wins;
///   models matching none use ``fallbackMinimumTokens`` (1,024). The defaults follow Anthropic's
///   documentation: 4,096 for Claude Opus 4.5 and 4.6 and Haiku 4.5, 2,048 for Sonnet 4.6 and the
///   Haiku 3 family, 1,024 for the rest.
public struct PromptCacheBreakpointSettings: Sendable {
    /// A model pattern and the fewest tokens a prefix of that model needs to be cached.
    public struct Minimum: Sendable, Hashable {
        public var model: Glob
        public var tokens: Int

        public init(model: String, tokens: Int) {
            self.model = Glob(model)
            self.tokens = tokens
        }
    }

    public static let defaultMinimums: [Minimum] = [
        Minimum(model: "claude-opus-4-5*", tokens: 4096), Minimum(model: "claude-opus-4-6*", tokens: 4096),
        Minimum(model: "claude-haiku-4-5*", tokens: 4096), Minimum(model: "claude-sonnet-4-6*", tokens: 2048),
        Minimum(model: "claude-3-haiku*", tokens: 2048), Minimum(model: "claude-3-5-haiku*", tokens: 2048),
    ]
    /// The minimum for a model no entry matches.
    public static let fallbackMinimumTokens = 1024
    /// Anthropic accepts at most four breakpoints per request.
    public static let maximumBreakpoints = 4

    public var isEnabled = false
    public var minimums = PromptCacheBreakpointSettings.defaultMinimums

    public init(isEnabled: Bool = false, minimums: [Minimum] = PromptCacheBreakpointSettings.defaultMinimums) {
        self.isEnabled = isEnabled
        self.minimums = minimums
    }

    /// The fewest tokens a prefix of `model` needs to be cached.
    public func minimumTokens(for model: String) -> Int {
        minimums.first { $0.model.matches(model) }?.tokens ?? Self.fallbackMinimumTokens
    }
}
