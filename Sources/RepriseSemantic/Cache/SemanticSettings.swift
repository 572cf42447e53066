import Reprise

/// How the gateway matches similar requests: whether it can at all, with which embedder, how candidates are
/// checked, and how often it verifies its own semantic hits against the upstream.
///
/// Which requests are matched semantically is the policy's business (``CachePolicy/semantic``, a rule's
/// `semantic`, the `X-Reprise-Semantic` header); these settings say what happens when they are.
public struct SemanticSettings: Sendable {
    /// Where vectors come from.
    public enum EmbedderChoice: Sendable, Hashable {
        /// A built-in model (``SemanticSettings/builtInModel``), loaded from ``SemanticSettings/modelDirectory``.
        case builtIn
        /// An OpenAI-compatible `/v1/embeddings` endpoint.
        case remote(RemoteEmbedderSettings)
    }

    /// Whether the gateway loads an embedder and matches semantically when the policy allows it: off by
    /// default, so a gateway without a model starts and serves exact matches only.
    public var isEnabled = false
    /// The embedder: the built-in model by default.
    public var embedder = EmbedderChoice.builtIn
    /// Which built-in model embeds: all-MiniLM-L6-v2 by default, or the slower, more precise all-mpnet-base-v2.
    public var builtInModel = BuiltInModel.default
    /// Where the built-in model is installed (`reprise model pull --models-directory`); `nil` is the default,
    /// `<state directory>/models/<model name>`.
    public var modelDirectory: String?
    /// The guards that veto a match whatever its similarity: all of them by default.
    public var guards = SemanticGuards()
    /// How many nearest entries are checked, most similar first, before giving up: 4.
    public var candidates = 4
    /// How long a scope's shared list of entries is trusted before the store is read again, so entries
    /// another replica stored become matchable: 10 seconds.
    public var refreshInterval: Duration = .seconds(10)
    /// The most entries one scope's shared list keeps (those expiring last win): 1,000, about 800 KB, under
    /// memcached's default 1 MiB item limit.
    public var scopeLimit = 1_000
    /// The most vectors this gateway keeps in memory across all scopes (about 1.6 KB each with all-MiniLM-L6-v2,
    /// 3.1 KB with all-mpnet-base-v2): 200,000.
    public var maximumIndexedEntries = 200_000
    /// The share of semantic hits also sent upstream, after the client has its answer, to measure the
    /// false-hit rate: 5%.
    public var verificationRate = 0.05
    /// Two answers whose embeddings are at least this similar count as the same answer: 0.9.
    public var verificationSimilarity: Float = 0.9
    /// The most verification calls in flight at once; further hits are not verified: 4.
    public var maximumConcurrentVerifications = 4

    public init() {}
}

/// An OpenAI-compatible embeddings endpoint.
public struct RemoteEmbedderSettings: Sendable, Hashable {
    /// The base URL, without `/v1`, such as `https://api.openai.com`.
    public var url: String
    /// The embedding model, such as `text-embedding-3-small`.
    public var model: String
    /// The API key, read from the environment variable the configuration names; `nil` sends none.
    public var apiKey: String?
    /// The `dimensions` to ask for, when the model supports shortening.
    public var dimensions: Int?
    /// How long one embeddings request may take: 2 seconds. A lookup waits for it on the request's path, so
    /// an endpoint that is down must fail fast (the request then goes upstream without semantic matching).
    public var timeout: Duration

    public init(url: String, model: String, apiKey: String? = nil, dimensions: Int? = nil, timeout: Duration = .seconds(2)) {
        self.url = url
        self.model = model
        self.apiKey = apiKey
        self.dimensions = dimensions
        self.timeout = timeout
    }
}
