/// One request as the cache simulation sees it: compact, so a million fit in a few tens of megabytes.
public struct SimulatedRequest: Sendable, Hashable {
    /// A 64-bit digest of the cache key (or of the normalized prompt, for normalized-repeat replays).
    public var key: UInt64
    /// Seconds since the epoch (or since the start of the log, for logs without times).
    public var time: Double
    /// What a hit on this request saves: the tokens and dollars of its answer.
    public var tokens: Int
    public var dollars: Double
    /// How long the upstream took, in seconds; a hit saves it.
    public var latency: Double
    /// The answer's size in bytes, for byte-bounded caches.
    public var size: Int
    /// Whether the policy would keep this request out of the cache (volatile or bypassed).
    public var bypass: Bool
    /// The model, as a number the analyzer gave it (see ``UsageAnalyzer/modelNames``).
    public var model: Int32

    public init(key: UInt64, time: Double, tokens: Int, dollars: Double, latency: Double, size: Int, bypass: Bool = false, model: Int32 = 0) {
        self.key = key
        self.time = time
        self.tokens = tokens
        self.dollars = dollars
        self.latency = latency
        self.size = size
        self.bypass = bypass
        self.model = model
    }
}
