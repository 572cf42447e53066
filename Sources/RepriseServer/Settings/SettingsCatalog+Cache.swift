import Foundation
import Reprise
import RepriseGateway

extension SettingsCatalog {
    // MARK: - cache

    static let cache: [Setting] = [
        .duration(
            "cache.default_ttl", environment: "REPRISE_DEFAULT_TTL", \.policy.defaultTimeToLive, allowsZero: true,
            summary: "how long answers live when no rule says otherwise"),
        .duration(
            "cache.max_ttl", environment: "REPRISE_MAX_TTL", \.policy.maximumTimeToLive, allowsZero: false,
            summary: "no entry lives longer, whatever a rule or `X-Reprise-TTL` asks"),
        .boolean(
            "cache.shadow", environment: "REPRISE_SHADOW", flag: "shadow", \.shadowMode,
            summary: "look up and record what would have been served, but always answer from upstream"),
        Setting(
            "cache.excluded_fields", valueKind: "list", defaultText: "see [cache-key.md](cache-key.md)",
            summary: "top-level request fields left out of the key (replaces the list)"
        ) { input, draft in draft.configuration.keyBuilder = CacheKeyBuilder(excludedFields: Set(try input.list())) },
        .size(
            "cache.memory_capacity", environment: "REPRISE_MEMORY_CAPACITY", \.memoryStoreCapacityBytes, minimum: 1,
            summary: "the memory store's bound; least recently used entries are evicted"),
        .duration(
            "cache.expiry_sweep_interval", \.expirySweepInterval, allowsZero: false, summary: "how often expired entries are removed from memory"),
        .duration(
            "cache.stale_if_error", \.staleIfError, allowsZero: true, offWhenZero: true,
            summary: "how long after expiry an entry is kept and served, marked `stale`, when the upstream answers 5xx, times out or cannot be reached; never for `Cache-Control: no-cache`"),
        .duration(
            "cache.replay_pacing", \.replayPacing, allowsZero: true, offWhenZero: true,
            summary: "pause between events when a cached answer is replayed as a stream, for UIs that expect typing (`20ms`)"),
        Setting(
            "cache.presets", valueKind: "mapping", defaultText: "", summary: "extra named presets: `name: 1h` or `name: bypass`", schema: .map
        ) { input, draft in
            for (name, action) in try input.decoded([String: FileValues.RuleAction].self) {
                switch action {
                case .bypass: draft.presets[name] = .bypass
                case .timeToLive(let ttl): draft.presets[name] = .timeToLive(ttl)
                }
            }
        },
        Setting(
            "cache.rules", valueKind: "list", defaultText: "`[]`", summary: "ordered rules, below", schema: .list(FileValues.Rule.schema)
        ) { input, draft in draft.rules = (try input.decoded([FileValues.Rule].self), input.origin) },
        Setting(
            "cache.volatility.enabled", valueKind: "boolean", defaultText: "on when any `volatility` key is given",
            summary: "the volatility detector, below; `false` leaves it off whatever else is set"
        ) { input, draft in
            draft.volatility.enabled = try input.parsed("true or false", Setting.boolean(from:))
            draft.volatilityGiven = true
        },
        volatility("time_sensitive.action", default: "ttl", summary: "`ttl` (shorten) or `bypass`") { input, draft in
            draft.volatility.timeAction = try input.parsed("ttl or bypass", VolatilityDetector.Action.init(rawValue:))
        },
        volatility("time_sensitive.ttl", default: "1m", summary: "the shortened TTL") { input, draft in
            draft.volatility.timeTimeToLive = try input.parsed("a duration such as '1m'", DurationText.parse)
        },
        volatility(
            "time_sensitive.words", default: VolatilityDetector.defaultTimeWords.joined(separator: ", "),
            summary: "whole words or phrases, any case, looked for in what users wrote"
        ) { input, draft in draft.volatility.timeWords = try input.list() },
        volatility("time_sensitive.detect_dates", default: "`true`", summary: "dates such as `2026-11-26`, `11/26/2026`, `March 3`, `3rd of March`") {
            input, draft in draft.volatility.detectsDates = try input.parsed("true or false", Setting.boolean(from:))
        },
        volatility("personal_data.action", default: "bypass", summary: "`bypass` or `ttl`") { input, draft in
            draft.volatility.personalAction = try input.parsed("ttl or bypass", VolatilityDetector.Action.init(rawValue:))
        },
        volatility("personal_data.ttl", default: "1m", summary: "the TTL when the action is `ttl`") { input, draft in
            draft.volatility.personalTimeToLive = try input.parsed("a duration such as '1m'", DurationText.parse)
        },
        volatility("personal_data.words", default: "`[]`", summary: "extra words or phrases that mark personal data (`account number`)") {
            input, draft in draft.volatility.personalWords = try input.list()
        },
        volatility("personal_data.detect_emails", default: "`true`", summary: "e-mail addresses anywhere in the prompt") { input, draft in
            draft.volatility.detectsEmails = try input.parsed("true or false", Setting.boolean(from:))
        },
        volatility(
            "personal_data.detect_phone_numbers", default: "`true`",
            summary: "phone numbers (9–15 digits written with phone separators) anywhere in the prompt"
        ) { input, draft in draft.volatility.detectsPhoneNumbers = try input.parsed("true or false", Setting.boolean(from:)) },
        Setting(
            "cache.store", environment: "REPRISE_STORE", flag: "store", valueKind: "URL", defaultText: "memory",
            summary: "where entries live: `memory`, `sqlite:///path/cache.db`, `memcached://host:port[,host:port…]`, `redis://host:port`, `rediss://…` or `redis+cluster://host:port,…`; see [Stores](#stores)"
        ) { input, draft in
            draft.configuration.store = try StoreLocation.checked(url: try input.text(), key: input.origin.name(of: input.setting), in: input.origin.place)
        },
        .size(
            "cache.store_capacity", \.storeCapacityBytes, minimum: 1, summary: "the SQLite store's bound; least recently used entries are evicted"),
        .duration(
            "cache.store_deadline", environment: "REPRISE_STORE_DEADLINE", \.storeDeadline, allowsZero: false,
            summary: "how long one operation of a network store may take before the request goes on without it (`bypass`)"),
        .integer(
            "cache.store_failure_threshold", \.storeFailureThreshold, in: 1...1_000_000,
            summary: "consecutive network-store failures that open the circuit breaker"),
        .duration(
            "cache.store_retry_backoff", \.storeRetryBackoff, allowsZero: false,
            summary: "how long the breaker stays open before one probe; doubles after each failed probe"),
        .duration(
            "cache.store_max_retry_backoff", \.storeMaximumRetryBackoff, allowsZero: false,
            summary: "the longest the breaker stays open (not shorter than `store_retry_backoff`)"),
        .duration(
            "cache.memory_tier", environment: "REPRISE_MEMORY_TIER", \.memoryTierTimeToLive, allowsZero: true, offWhenZero: true,
            summary: "with a network store, keep hot entries in memory too (bounded by `memory_capacity`) and trust a memory copy this long"),
        .size(
            "cache.memcached_item_size_limit", \.memcachedItemSizeLimit, minimum: 1024,
            summary: "the memcached servers' item size limit (`memcached -I`); larger entries are not stored, and are counted"),
        .secret(
            "cache.encryption_key_env", defaultVariable: "REPRISE_STORE_KEY",
            summary: "variable holding the key entries are sealed with before they reach the store (32 bytes, base64); sealing is on when the variable is set, and a variable named here must be set"
        ) { value, variable, draft in
            guard let bytes = Data(base64Encoded: value.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32 else {
                throw ConfigurationError.invalidValue(
                    variable, in: "the environment", reason: "must be 32 bytes in base64 (openssl rand -base64 32); the value is not")
            }
            draft.configuration.storeEncryptionKey = Array(bytes)
        },
    ]

    /// A key of `cache.volatility`: any of them turns the detector on (unless `enabled: false`).
    private static func volatility(
        _ key: String, default defaultText: String, summary: String,
        read: @escaping @Sendable (SettingInput, inout SettingsDraft) throws -> Void
    ) -> Setting {
        let kind = key.hasSuffix("words") ? "list" : key.hasSuffix("ttl") ? "duration" : key.hasSuffix("action") ? "`ttl` or `bypass`" : "boolean"
        return Setting("cache.volatility." + key, valueKind: kind, defaultText: defaultText, summary: summary) {
            input, draft in
            try read(input, &draft)
            draft.volatilityGiven = true
        }
    }

    // MARK: - prompt_cache

    static let promptCache: [Setting] = [
        .boolean(
            "prompt_cache.auto_breakpoints", environment: "REPRISE_AUTO_BREAKPOINTS", \.promptCacheBreakpoints.isEnabled,
            summary: "add `cache_control: {\"type\": \"ephemeral\"}` breakpoints to `/v1/messages` requests that have none of their own"),
        Setting(
            "prompt_cache.minimum_tokens", valueKind: "list", defaultText: "see below",
            summary: "ordered list of `{model: <glob>, tokens: N}`: the shortest prefix each model caches; the first match wins, 1,024 when none matches (replaces the whole list)",
            schema: .list(FileValues.MinimumTokens.schema)
        ) { input, draft in
            let minimums = try input.decoded([FileValues.MinimumTokens].self)
            for (position, minimum) in minimums.enumerated() where minimum.tokens <= 0 {
                throw ConfigurationError.invalidValue(
                    "prompt_cache.minimum_tokens[\(position)].tokens", in: input.origin.place, reason: "must be positive, got \(minimum.tokens)")
            }
            draft.configuration.promptCacheBreakpoints.minimums = minimums.map { .init(model: $0.model, tokens: $0.tokens) }
        },
    ]
}
