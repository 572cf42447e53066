import Reprise

/// One LLM call read from a usage log, in one shape whatever the log's format.
///
/// Fields a format does not carry are `nil`; the analysis says so (tokens estimated, cost from the price
/// table) rather than guessing silently.
public struct UsageRecord: Sendable {
    /// When the call was made; `nil` when the log has no time (the record is then replayed in file order).
    public var timestamp: EpochInstant?
    /// The model called, such as `gpt-4o-mini`; `nil` when the log does not say.
    public var model: String?
    /// The API route, such as `/v1/chat/completions` (the default when the log does not say).
    public var route: String
    /// The request body, when the log has it: exact-repeat keys are computed from it as the gateway would.
    public var request: JSONValue?
    /// The prompt text, for normalized repeats and volatility checks (from ``request`` when present).
    public var promptText: String?
    /// What users wrote in the prompt (``PromptText/user``), when it is known apart from the rest: from
    /// ``request``; `nil` for logs that carry only a prompt text, which is then taken as the user's.
    public var userPromptText: String?
    /// The prompt as the volatility detector reads it: all of it, and what users wrote apart.
    public var prompt: PromptText? {
        promptText.map { PromptText(all: $0, user: userPromptText ?? $0) }
    }

    /// What to show of the prompt in a report: what the user wrote, which says more than a system prompt
    /// every request starts with, or the whole prompt when the user's part is unknown or empty.
    public var shownPrompt: String? {
        userPromptText.flatMap { $0.isEmpty ? nil : $0 } ?? promptText
    }

    /// The answer body, when the log has it (fine-tuning export).
    public var response: JSONValue?
    /// Tokens, when the log reports them.
    public var usage: TokenUsage?
    /// What the call cost, when the log reports it, in US dollars.
    public var costUSD: Double?
    /// How long the call took, when the log reports it.
    public var latency: Duration?
    /// A cache key the log already carries (Reprise's own log): used instead of recomputing one.
    public var key: String?
    /// Hashes of the prompt's fixed-size blocks, when a trace gives them instead of text (shared
    /// prefixes without the prompt itself).
    public var prefixBlockHashes: [Int]?
    /// The size of one prefix block, in tokens, when ``prefixBlockHashes`` is set.
    public var prefixBlockTokens: Int?
    /// Where the record was read: file and 1-based line.
    public var source: SourceLocation

    public init(
        timestamp: EpochInstant? = nil, model: String? = nil, route: String = "/v1/chat/completions",
        request: JSONValue? = nil, promptText: String? = nil, response: JSONValue? = nil, usage: TokenUsage? = nil,
        costUSD: Double? = nil, latency: Duration? = nil, key: String? = nil, prefixBlockHashes: [Int]? = nil,
        prefixBlockTokens: Int? = nil, source: SourceLocation
    ) {
        self.timestamp = timestamp
        self.model = model
        self.route = route
        self.request = request
        let prompt = request.map(PromptText.init(body:))
        self.promptText = promptText ?? prompt?.all
        self.userPromptText = prompt?.user
        self.response = response
        self.usage = usage
        self.costUSD = costUSD
        self.latency = latency
        self.key = key
        self.prefixBlockHashes = prefixBlockHashes
        self.prefixBlockTokens = prefixBlockTokens
        self.source = source
    }
}

/// A place in an input file.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }
}
