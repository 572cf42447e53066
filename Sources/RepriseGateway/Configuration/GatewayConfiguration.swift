import Logging
import Reprise
import RepriseSemantic

/// Everything `reprise serve` can be told, with the defaults a first run needs.
///
/// Values come, each overriding the one before, from these defaults, the YAML or JSON file given with
/// `--config`, the environment (`REPRISE_*`), and command-line flags. `docs/configuration.md` lists every
/// key.
public struct GatewayConfiguration: Sendable {
    /// Address to listen on: `127.0.0.1`, so the gateway is not reachable from other machines unless told.
    public var host = "127.0.0.1"
    /// Port to listen on: 8080; 0 picks a free one.
    public var port = 8080
    /// The largest request body accepted: 8 MiB.
    public var maximumBodyBytes = 8 * 1024 * 1024
    /// How long a request's head (request line and headers) may take to arrive, counted from its first
    /// byte, or from the connection's opening for its first request: 10 seconds. Slower clients are
    /// disconnected (a defence against slowloris).
    public var headReadTimeout: Duration = .seconds(10)
    /// How long a request's body may take to arrive after its head: 60 seconds.
    public var bodyReadTimeout: Duration = .seconds(60)
    /// How long a kept-alive connection may wait for its next request: 60 seconds.
    public var idleTimeout: Duration = .seconds(60)
    /// The most client connections open at once; `nil` derives it from the process's file-descriptor limit
    /// (``ConnectionLimits/defaultMaximumConnections``). At the limit, a new connection closes the one
    /// idle the longest; when none is idle, the new one is refused.
    public var maximumConnections: Int?
    /// How long `reprise serve`, told to stop (SIGTERM or SIGINT), lets requests in progress — streams
    /// included — and the upstream calls they wait on finish after it stops accepting: 10 seconds. What is
    /// still running then is cancelled and the process exits.
    public var shutdownGrace: Duration = .seconds(10)
    /// How much the gateway logs: `info`.
    public var logLevel = Logger.Level.info
    /// The largest upstream answer buffered for caching: 64 MiB.
    public var maximumResponseBytes = 64 * 1024 * 1024

    /// The upstream API's base URL, without `/v1`: `https://api.openai.com`.
    public var upstreamURL = "https://api.openai.com"
    /// The Anthropic API's base URL, without `/v1`, for `/v1/messages` and every other Anthropic path:
    /// `https://api.anthropic.com`.
    public var anthropicUpstreamURL = "https://api.anthropic.com"
    /// The upstreams, in order (`upstreams` in the file). A provider the list does not name is reached at
    /// its default URL: ``upstreamURL`` for OpenAI, ``anthropicUpstreamURL`` for Anthropic, the provider's
    /// public API for the others that have one. See ``effectiveUpstreams(providers:)``.
    public var upstreams: [UpstreamSettings] = []
    /// How long an upstream call may take before the client gets a 504: 10 minutes.
    public var upstreamTimeout: Duration = .seconds(600)
    /// How long connecting to the upstream may take: 10 seconds.
    public var upstreamConnectTimeout: Duration = .seconds(10)
    /// Whether a stream recorded for the cache asks an OpenAI-compatible upstream for its usage chunk
    /// (`stream_options.include_usage`), so the entry is stored with its usage; clients that did not ask
    /// never see the chunk. On by default; turn off for an upstream that refuses `stream_options`.
    public var asksForStreamUsage = true
    /// The upstream key the gateway sends itself, replacing the client's credential; `nil` forwards the
    /// client's `Authorization` unchanged.
    public var upstreamAPIKey: String?
    /// The Anthropic key the gateway sends itself in `x-api-key`, replacing the client's credential on
    /// Anthropic routes; `nil` forwards the client's.
    public var anthropicAPIKey: String?
    /// The keys clients must present when the gateway holds the upstream key; empty accepts any client.
    public var clientKeys: Set<String> = []

    /// Look up and record what the cache would have served, but always answer from upstream.
    public var shadowMode = false
    /// The caching policy: TTLs, rules, volatility detection.
    public var policy = CachePolicy()
    /// Semantic matching: the embedder, guards, scope lists and verification. Off by default.
    public var semantic = SemanticSettings()
    /// Which fields the cache key leaves out.
    public var keyBuilder = CacheKeyBuilder()
    /// The memory store's bound: 256 MiB.
    public var memoryStoreCapacityBytes = 256 * 1024 * 1024
    /// How long after expiry an entry may still be served when the upstream fails (5xx, timeout,
    /// unreachable): zero, off by default. Never for `Cache-Control: no-cache`.
    public var staleIfError: Duration = .zero
    /// The pause between events when a cached answer is replayed as a stream; zero (no pause) by default,
    /// for UIs that expect typing.
    public var replayPacing: Duration = .zero
    /// How often expired entries are swept from memory: every minute.
    public var expirySweepInterval: Duration = .seconds(60)

    /// Where entries live: the memory store by default (see ``StoreLocation`` for the URLs).
    public var store = StoreLocation.memory
    /// How long one operation of a network store may take before the request goes on without it: 50 ms.
    public var storeDeadline: Duration = .milliseconds(50)
    /// Consecutive failures of a network store that open its circuit breaker: 5.
    public var storeFailureThreshold = 5
    /// How long the breaker stays open the first time; doubles with each failed probe: 1 second.
    public var storeRetryBackoff: Duration = .seconds(1)
    /// The longest the breaker stays open: 1 minute.
    public var storeMaximumRetryBackoff: Duration = .seconds(60)
    /// The SQLite store's bound: 1 GiB.
    public var storeCapacityBytes = 1024 * 1024 * 1024
    /// How long a memory copy of a network store's entry is served before the store is asked again;
    /// zero (the default) keeps no memory tier.
    public var memoryTierTimeToLive: Duration = .zero
    /// The memcached servers' item size limit (`-I`): 1 MiB. Larger entries are not stored.
    public var memcachedItemSizeLimit = 1024 * 1024
    /// The 32-byte key entries are sealed with (AES-256-GCM) before they reach the store; `nil` stores
    /// them in the clear. Read from the variable `cache.encryption_key_env` names (`REPRISE_STORE_KEY`).
    public var storeEncryptionKey: [UInt8]?

    /// Whether all credentials share one namespace (single-tenant deployments only).
    public var sharesNamespaceAcrossCredentials = false
    /// The secret credentials are hashed with; `nil` reads or creates one in ``stateDirectory``.
    public var namespaceSecret: [UInt8]?
    /// Where the gateway keeps its state (the generated server secret).
    public var stateDirectory = GatewayConfiguration.defaultStateDirectory

    /// Whether and where the gateway adds Anthropic prompt-cache breakpoints; off by default.
    public var promptCacheBreakpoints = PromptCacheBreakpointSettings()

    /// Model prices: the built-in table, with any user file merged over it.
    public var prices = PriceTable.builtIn

    /// Where the JSONL request log is written; `nil` writes none.
    public var requestLogPath: String?
    /// The size at which the request log rolls over: 100 MiB.
    public var requestLogMaximumBytes: Int? = 100 * 1024 * 1024
    /// How many rolled request logs are kept: 5.
    public var requestLogMaximumFiles = 5
    /// Whether prompts and answers are written to the request log.
    public var logsBodies = false

    /// The bearer token the admin API requires; `nil` disables the admin API.
    public var adminToken: String?

    public init() {}

    /// `$XDG_STATE_HOME/reprise`, or `~/.local/state/reprise`.
    public static var defaultStateDirectory: String {
        let environment = ProcessEnvironment.current
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/reprise" }
        return (environment["HOME"] ?? ".") + "/.local/state/reprise"
    }

    /// Whether the policy lets any request match semantically (the default or a rule), which only takes
    /// effect when ``SemanticSettings/isEnabled``.
    public var policyAsksForSemantic: Bool {
        let asks = { (preference: SemanticPreference?) in preference != nil && preference != .off }
        return asks(policy.semantic) || policy.rules.contains { asks($0.semantic) }
    }
}
