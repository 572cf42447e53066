import Reprise

/// A request's prompt as a chain of prefixes a provider's prompt cache could hold: each link is a digest of
/// everything up to a boundary and the input tokens up to it.
///
/// Boundaries are where providers let caching break: for chat bodies, after the tools and system prompt,
/// then after each message; for traces that give hashes of fixed-size token blocks, after each block.
public struct PromptPrefixes: Sendable, Hashable {
    public struct Link: Sendable, Hashable {
        public var digest: UInt64
        public var tokens: Int
    }

    public var links: [Link]
    /// Whether ``Link/tokens`` come from the log's own token counts or blocks (`false`: estimated from text).
    public var measured: Bool

    /// The prefixes of `record`, or `nil` when it has neither a body nor block hashes.
    public init?(_ record: UsageRecord) {
        if let hashes = record.prefixBlockHashes, let blockTokens = record.prefixBlockTokens, !hashes.isEmpty {
            let total = record.usage?.promptTokens ?? hashes.count * blockTokens
            var digest: UInt64 = 0xcbf2_9ce4_8422_2325
            links = hashes.enumerated().map { position, hash in
                digest = Self.combine(digest, UInt64(bitPattern: Int64(hash)))
                return Link(digest: digest, tokens: min(total, (position + 1) * blockTokens))
            }
            measured = true
            return
        }
        guard let body = record.request else { return nil }
        var segments: [JSONValue] = []
        let head: JSONValue = ["model": body["model"] ?? nil, "tools": body["tools"] ?? nil, "system": body["system"] ?? nil]
        segments.append(head)
        segments.append(contentsOf: body["messages"]?.arrayValue ?? body["input"]?.arrayValue ?? [])
        let keyed = CacheKeyBuilder()
        var digest: UInt64 = 0xcbf2_9ce4_8422_2325
        var characters = 0
        var chain: [Link] = []
        for segment in segments {
            let bytes = keyed.keyedBody(segment).canonicalBytes
            characters += PromptText.texts(in: segment["content"] ?? .null).map(\.utf8.count).reduce(0, +) + (chain.isEmpty ? bytes.count : 4)
            digest = Self.combine(digest, PromptFingerprint.digest(of: bytes))
            chain.append(Link(digest: digest, tokens: characters))
        }
        // Scale the character estimate to the log's own prompt tokens when it has them.
        let estimated = max(1, characters / 4)
        if let promptTokens = record.usage?.promptTokens, promptTokens > 0, characters > 0 {
            links = chain.map { Link(digest: $0.digest, tokens: Int(Double($0.tokens) / Double(characters) * Double(promptTokens))) }
            measured = true
        } else {
            links = chain.map { Link(digest: $0.digest, tokens: Int(Double($0.tokens) / Double(characters) * Double(estimated))) }
            measured = false
        }
    }

    public init(links: [Link], measured: Bool) {
        self.links = links
        self.measured = measured
    }

    private static func combine(_ seed: UInt64, _ value: UInt64) -> UInt64 {
        var hash = seed ^ value
        hash = (hash ^ (hash >> 33)) &* 0xff51_afd7_ed55_8ccd
        hash = (hash ^ (hash >> 33)) &* 0xc4ce_b9fe_1a85_ec53
        return hash ^ (hash >> 33)
    }
}
