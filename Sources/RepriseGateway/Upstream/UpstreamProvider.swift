import HTTPTypes
import Reprise

/// Which API a request speaks, and so which upstream it goes to, which credential header the gateway's
/// own upstream key travels in, how `usage` reads and what shape the gateway's errors take.
enum UpstreamProvider: String, Sendable, CaseIterable {
    /// OpenAI-compatible routes: chat and text completions, embeddings, the Responses API, and every other
    /// path under `/v1/` not claimed by Anthropic.
    case openAI = "openai"
    /// Anthropic's Messages API and the rest of its paths.
    case anthropic

    static let anthropicVersion = HTTPField.Name("anthropic-version")!
    static let anthropicBeta = HTTPField.Name("anthropic-beta")!

    /// The provider of a cached route.
    init(route: String) {
        self = route == "/v1/messages" ? .anthropic : .openAI
    }

    /// The provider a pass-through request goes to: Anthropic for its own paths (`/v1/messages/…`,
    /// `/v1/complete`) and for any request carrying `anthropic-version`, which every Anthropic SDK sends
    /// (so its `/v1/models` or `/v1/files` reach Anthropic, not OpenAI).
    init(path: String, headers: HTTPFields) {
        if path == "/v1/messages" || path.hasPrefix("/v1/messages/") || path == "/v1/complete" || headers[Self.anthropicVersion] != nil {
            self = .anthropic
        } else {
            self = .openAI
        }
    }

    /// The request headers that change an answer and so enter the cache key, normalized.
    func keyedHeaders(_ headers: HTTPFields) -> [String: String] {
        guard self == .anthropic else { return [:] }
        let beta = headers[values: Self.anthropicBeta].joined(separator: ",")
        guard let value = CacheKeyBuilder.keyedHeaderValue(beta) else { return [:] }
        return ["anthropic-beta": value]
    }

    /// The tokens an answer in this provider's shape reports.
    func usage(of body: JSONValue?) -> TokenUsage {
        guard let body else { return TokenUsage() }
        switch self {
        case .openAI: return TokenUsage(openAIResponse: body) ?? TokenUsage()
        case .anthropic: return TokenUsage(anthropicResponse: body) ?? TokenUsage()
        }
    }
}
