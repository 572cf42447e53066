/// One cached answer: the complete non-streamed body with what is needed to serve and account for it.
public struct CacheEntry: Sendable, Hashable, Codable {
    /// The version of this record's layout; stores discard entries of another version.
    public static let currentVersion = 1

    public var version: Int
    /// The answer body, byte for byte as the upstream sent it.
    public var body: [UInt8]
    /// The upstream's HTTP status.
    public var status: Int
    /// The upstream's `Content-Type`.
    public var contentType: String
    /// The model the request named.
    public var model: String
    /// The namespace the entry belongs to (hashed; never a credential).
    public var namespace: String
    /// The route the request was sent to, such as `/v1/chat/completions`.
    public var route: String
    /// The tokens the answer cost when it was fetched.
    public var usage: TokenUsage
    /// When the answer was stored.
    public var createdAt: EpochInstant
    /// How long the entry may be served.
    public var timeToLive: Duration
    /// How long the upstream took to produce the answer.
    public var upstreamLatency: Duration
    /// How long after expiry the entry is still kept, to be served only when the upstream fails
    /// (stale-if-error); zero keeps nothing past expiry.
    public var staleRetention: Duration
    /// For an entry the semantic cache indexed: the text its embedding was computed from, the embedding and
    /// the request's context fingerprint; `nil` for an entry only exact lookups can find.
    public var semantic: SemanticSource?

    public init(
        body: [UInt8], status: Int = 200, contentType: String = "application/json", model: String,
        namespace: String, route: String, usage: TokenUsage = TokenUsage(), createdAt: EpochInstant,
        timeToLive: Duration, upstreamLatency: Duration = .zero, staleRetention: Duration = .zero,
        semantic: SemanticSource? = nil
    ) {
        self.version = Self.currentVersion
        self.body = body
        self.status = status
        self.contentType = contentType
        self.model = model
        self.namespace = namespace
        self.route = route
        self.usage = usage
        self.createdAt = createdAt
        self.timeToLive = timeToLive
        self.upstreamLatency = upstreamLatency
        self.staleRetention = max(.zero, staleRetention)
        self.semantic = semantic
    }

    /// Whether the entry can be served at all: a success status and token usage an upstream could really
    /// have reported. An entry that fails this (written by a broken build, or planted in a shared store)
    /// is dropped on sight rather than served or accounted.
    public var isServable: Bool {
        (200..<300).contains(status) && usage.isPlausible
    }

    /// The instant after which the entry must not be served.
    public var expiresAt: EpochInstant { createdAt.advanced(by: timeToLive) }

    /// Whether the entry may still be served at `instant`.
    public func isFresh(at instant: EpochInstant) -> Bool { instant < expiresAt }

    /// Whether the entry may be served at `instant` to a request that accepts `staleness` past expiry.
    public func isUsable(at instant: EpochInstant, allowingStaleness staleness: Duration) -> Bool {
        instant < expiresAt.advanced(by: min(max(.zero, staleness), staleRetention))
    }

    /// The instant after which the entry is of no use at all and may be dropped.
    public var retainedUntil: EpochInstant { expiresAt.advanced(by: staleRetention) }

    /// The entry's age at `instant`, never negative.
    public func age(at instant: EpochInstant) -> Duration { max(.zero, createdAt.duration(to: instant)) }

    /// The approximate memory the entry takes, used to bound stores by bytes.
    public var approximateSize: Int {
        body.count + contentType.utf8.count + model.utf8.count + namespace.utf8.count + route.utf8.count + 128
            + (semantic?.approximateSize ?? 0)
    }
}
