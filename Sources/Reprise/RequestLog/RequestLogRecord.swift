/// One line of the request log (JSONL): what one request cost, saved and took.
///
/// The schema is stable: `reprise analyze` reads it. Credentials never appear; the namespace is a hash.
/// Bodies are present only when the gateway is configured with `log_bodies`.
public struct RequestLogRecord: Sendable, Hashable, Codable {
    /// When the request arrived, as ISO 8601 UTC with milliseconds.
    public var timestamp: String
    public var route: String
    /// The name of the upstream the request went to (`upstreams[].name`), when one was called.
    public var upstream: String?
    public var model: String?
    public var namespace: String?
    public var key: String?
    /// The cache outcome: `hit`, `miss`, `bypass`, `shadow`, `coalesced`, `stale`, `semantic-hit`, `error`.
    public var cacheStatus: String
    /// The HTTP status returned to the client.
    public var httpStatus: Int
    public var promptTokens: Int
    public var completionTokens: Int
    /// Input tokens the provider read from its own prompt cache.
    public var cachedTokens: Int
    /// Input tokens the provider wrote to its prompt cache (Anthropic), 1-hour writes included; absent
    /// when none, as in lines written before the field existed.
    public var cacheWriteTokens: Int?
    /// Of ``cacheWriteTokens``, those written to the 1-hour cache; absent when none.
    public var cacheWriteOneHourTokens: Int?
    /// What the provider's prompt-cache reads saved on this upstream call, in US dollars; absent when none.
    public var providerCacheSavedUSD: Double?
    /// What its prompt-cache writes cost above the input price, in US dollars; absent when none.
    public var providerCacheWriteUSD: Double?
    /// How many `cache_control` breakpoints the gateway added before forwarding; absent when none.
    public var autoBreakpoints: Int?
    /// What the upstream call cost, in US dollars (zero on a hit).
    public var costUSD: Double
    /// What a hit saved, in US dollars.
    public var savedUSD: Double
    /// The tokens a hit saved.
    public var savedTokens: Int
    /// Whether the model had a price.
    public var priced: Bool
    public var stream: Bool
    public var latencyMilliseconds: Double
    public var upstreamLatencyMilliseconds: Double?
    public var similarity: Double?
    /// On a semantic hit: the key of the entry that answered, stored for another request, so a wrong hit can
    /// be audited and purged (`DELETE /admin/cache?key=…`).
    public var matchedKey: String?
    /// Why the cache was bypassed, when it was.
    public var reason: String?
    public var requestBody: String?
    public var responseBody: String?

    public init(
        timestamp: String, route: String, model: String? = nil, namespace: String? = nil, key: String? = nil,
        cacheStatus: String, httpStatus: Int, promptTokens: Int = 0, completionTokens: Int = 0, cachedTokens: Int = 0,
        costUSD: Double = 0, savedUSD: Double = 0, savedTokens: Int = 0, priced: Bool = false, stream: Bool = false,
        latencyMilliseconds: Double, upstreamLatencyMilliseconds: Double? = nil, similarity: Double? = nil,
        reason: String? = nil, requestBody: String? = nil, responseBody: String? = nil, cacheWriteTokens: Int? = nil,
        cacheWriteOneHourTokens: Int? = nil, providerCacheSavedUSD: Double? = nil, providerCacheWriteUSD: Double? = nil,
        autoBreakpoints: Int? = nil, matchedKey: String? = nil, upstream: String? = nil
    ) {
        self.matchedKey = matchedKey
        self.upstream = upstream
        self.cacheWriteTokens = cacheWriteTokens
        self.cacheWriteOneHourTokens = cacheWriteOneHourTokens
        self.providerCacheSavedUSD = providerCacheSavedUSD
        self.providerCacheWriteUSD = providerCacheWriteUSD
        self.autoBreakpoints = autoBreakpoints
        self.timestamp = timestamp
        self.route = route
        self.model = model
        self.namespace = namespace
        self.key = key
        self.cacheStatus = cacheStatus
        self.httpStatus = httpStatus
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.cachedTokens = cachedTokens
        self.costUSD = costUSD
        self.savedUSD = savedUSD
        self.savedTokens = savedTokens
        self.priced = priced
        self.stream = stream
        self.latencyMilliseconds = latencyMilliseconds
        self.upstreamLatencyMilliseconds = upstreamLatencyMilliseconds
        self.similarity = similarity
        self.reason = reason
        self.requestBody = requestBody
        self.responseBody = responseBody
    }

    enum CodingKeys: String, CodingKey {
        case timestamp = "ts"
        case route, upstream, model, namespace, key, priced, stream, similarity, reason
        case cacheStatus = "cache_status"
        case httpStatus = "http_status"
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case cachedTokens = "cached_tokens"
        case cacheWriteTokens = "cache_write_tokens"
        case cacheWriteOneHourTokens = "cache_write_1h_tokens"
        case providerCacheSavedUSD = "provider_cache_saved_usd"
        case providerCacheWriteUSD = "provider_cache_write_usd"
        case autoBreakpoints = "auto_breakpoints"
        case matchedKey = "matched_key"
        case costUSD = "cost_usd"
        case savedUSD = "saved_usd"
        case savedTokens = "saved_tokens"
        case latencyMilliseconds = "latency_ms"
        case upstreamLatencyMilliseconds = "upstream_latency_ms"
        case requestBody = "request_body"
        case responseBody = "response_body"
    }
}

extension EpochInstant {
    /// ISO 8601 in UTC with milliseconds, such as `2026-11-26T23:46:15.123Z`.
    public var iso8601: String {
        let milliseconds = millisecondsSinceEpoch
        let days = Int(milliseconds.floorDivided(by: 86_400_000))
        let remainder = Int(milliseconds - Int64(days) * 86_400_000)
        // Civil-from-days (Howard Hinnant's algorithm).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(remainder / 3_600_000, 2)):"
            + "\(pad(remainder / 60_000 % 60, 2)):\(pad(remainder / 1000 % 60, 2)).\(pad(remainder % 1000, 3))Z"
    }
}

extension Int64 {
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
