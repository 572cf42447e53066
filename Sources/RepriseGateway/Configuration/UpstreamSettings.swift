import Reprise

/// One upstream the gateway forwards to: a provider's API at a URL, for some or all of its models.
///
/// ```yaml
/// upstreams:
///   - name: local            # any name; in metrics and logs
///     provider: openai       # openai | anthropic | gemini | azure
///     url: http://127.0.0.1:8000
///     models: ["llama-*"]    # globs, any case; none: every model
///     api_key_env: LOCAL_KEY # optional: the gateway holds this upstream's key
/// ```
public struct UpstreamSettings: Sendable, Hashable {
    public var name: String
    /// The registered provider's name.
    public var provider: String
    /// The base URL, without `/v1`.
    public var url: String
    /// Globs a request's model must match; empty: every model (a fallback, tried after every entry of the
    /// provider that lists models).
    public var models: [String]
    /// The key the gateway sends this upstream instead of the client's credential; `nil` forwards the
    /// client's.
    public var apiKey: String?

    public init(name: String, provider: String, url: String, models: [String] = [], apiKey: String? = nil) {
        self.name = name
        self.provider = provider
        self.url = url
        self.models = models
        self.apiKey = apiKey
    }

    /// Whether the entry takes every model.
    public var isFallback: Bool { models.isEmpty }

    /// Whether the entry takes `model`.
    public func accepts(_ model: String) -> Bool {
        models.isEmpty || models.contains { Glob($0).matches(model) }
    }
}
