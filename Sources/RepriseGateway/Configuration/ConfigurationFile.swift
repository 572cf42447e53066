import Reprise

/// The YAML or JSON configuration file as written, before it is applied to a ``GatewayConfiguration``.
///
/// ``schema`` lists every key, so a misspelt key is reported rather than silently ignored.
struct ConfigurationFile: Decodable {
    var server: Server?
    var upstream: Upstream?
    var upstreams: [UpstreamEntry]?
    var auth: Auth?
    var cache: Cache?
    var namespace: Namespace?
    var prices: Prices?
    var requestLog: RequestLog?
    var admin: Admin?
    var promptCache: PromptCache?
    var semantic: Semantic?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case server, upstream, upstreams, auth, cache, namespace, prices, admin, semantic
        case requestLog = "request_log"
        case promptCache = "prompt_cache"
    }

    static var schema: KeySchema {
        .section(
            keys(of: CodingKeys.self, children: [
                "server": Server.schema, "upstream": Upstream.schema, "upstreams": .list(UpstreamEntry.schema), "auth": Auth.schema,
                "cache": Cache.schema,
                "namespace": Namespace.schema, "prices": Prices.schema, "request_log": RequestLog.schema,
                "admin": Admin.schema, "prompt_cache": PromptCache.schema, "semantic": Semantic.schema,
            ]))
    }

    struct Server: StrictDecodable {
        var host: String?
        var port: Int?
        var maxBodyBytes: ByteSize?
        var maxResponseBytes: ByteSize?
        var headTimeout: DurationValue?
        var bodyTimeout: DurationValue?
        var idleTimeout: DurationValue?
        var maxConnections: Int?
        var shutdownGrace: DurationValue?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case host, port
            case maxBodyBytes = "max_body_bytes"
            case maxResponseBytes = "max_response_bytes"
            case headTimeout = "head_timeout"
            case bodyTimeout = "body_timeout"
            case idleTimeout = "idle_timeout"
            case maxConnections = "max_connections"
            case shutdownGrace = "shutdown_grace"
        }
    }

    struct Upstream: StrictDecodable {
        var url: String?
        var timeout: DurationValue?
        var connectTimeout: DurationValue?
        var apiKeyEnv: String?
        var anthropicURL: String?
        var anthropicAPIKeyEnv: String?
        var streamUsage: Bool?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case url, timeout
            case streamUsage = "stream_usage"
            case connectTimeout = "connect_timeout"
            case apiKeyEnv = "api_key_env"
            case anthropicURL = "anthropic_url"
            case anthropicAPIKeyEnv = "anthropic_api_key_env"
        }
    }

    /// One entry of `upstreams`.
    struct UpstreamEntry: StrictDecodable {
        var name: String
        var provider: String
        var url: String
        var models: [String]?
        var apiKeyEnv: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, provider, url, models
            case apiKeyEnv = "api_key_env"
        }
    }

    struct PromptCache: StrictDecodable {
        var autoBreakpoints: Bool?
        var minimumTokens: [MinimumTokens]?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case autoBreakpoints = "auto_breakpoints"
            case minimumTokens = "minimum_tokens"
        }
        static var schema: KeySchema {
            .section(keys(of: CodingKeys.self, children: ["minimum_tokens": .list(MinimumTokens.schema)]))
        }
    }

    struct MinimumTokens: StrictDecodable {
        var model: String
        var tokens: Int
        enum CodingKeys: String, CodingKey, CaseIterable { case model, tokens }
    }

    struct Auth: StrictDecodable {
        var clientKeys: [String]?
        var clientKeysEnv: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case clientKeys = "client_keys"
            case clientKeysEnv = "client_keys_env"
        }
    }

    struct Cache: StrictDecodable {
        var defaultTTL: DurationValue?
        var maxTTL: DurationValue?
        var shadow: Bool?
        var excludedFields: [String]?
        var memoryCapacity: ByteSize?
        var expirySweepInterval: DurationValue?
        var staleIfError: DurationValue?
        var replayPacing: DurationValue?
        var presets: [String: RuleAction]?
        var rules: [Rule]?
        var volatility: Volatility?
        var store: String?
        var storeDeadline: DurationValue?
        var storeFailureThreshold: Int?
        var storeRetryBackoff: DurationValue?
        var storeMaxRetryBackoff: DurationValue?
        var storeCapacity: ByteSize?
        var memoryTier: DurationValue?
        var memcachedItemSizeLimit: ByteSize?
        var encryptionKeyEnv: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case shadow, presets, rules, volatility, store
            case storeDeadline = "store_deadline"
            case storeFailureThreshold = "store_failure_threshold"
            case storeRetryBackoff = "store_retry_backoff"
            case storeMaxRetryBackoff = "store_max_retry_backoff"
            case storeCapacity = "store_capacity"
            case memoryTier = "memory_tier"
            case memcachedItemSizeLimit = "memcached_item_size_limit"
            case encryptionKeyEnv = "encryption_key_env"
            case defaultTTL = "default_ttl"
            case maxTTL = "max_ttl"
            case excludedFields = "excluded_fields"
            case memoryCapacity = "memory_capacity"
            case expirySweepInterval = "expiry_sweep_interval"
            case staleIfError = "stale_if_error"
            case replayPacing = "replay_pacing"
        }
        static var schema: KeySchema {
            .section(keys(of: CodingKeys.self, children: [
                "presets": .map, "rules": .list(Rule.schema), "volatility": Volatility.schema,
            ]))
        }
    }

    struct Rule: StrictDecodable {
        var name: String?
        var route: String?
        var model: String?
        var header: String?
        var headerValue: String?
        var prompt: String?
        var ttl: DurationValue?
        var bypass: Bool?
        var preset: String?
        var semantic: SemanticPreferenceValue?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, route, model, header, prompt, ttl, bypass, preset, semantic
            case headerValue = "header_value"
        }
    }

    struct Semantic: StrictDecodable {
        var enabled: Bool?
        var `default`: SemanticPreferenceValue?
        var threshold: Float?
        var embedder: String?
        var builtinModel: String?
        var modelDirectory: String?
        var remote: RemoteEmbedder?
        var guards: Guards?
        var candidates: Int?
        var refreshInterval: DurationValue?
        var scopeLimit: Int?
        var maxIndexed: Int?
        var verifyRate: Double?
        var verifySimilarity: Float?
        var verifyConcurrency: Int?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled, `default`, threshold, embedder, remote, guards, candidates
            case builtinModel = "builtin_model"
            case modelDirectory = "model_directory"
            case refreshInterval = "refresh_interval"
            case scopeLimit = "scope_limit"
            case maxIndexed = "max_indexed"
            case verifyRate = "verify_rate"
            case verifySimilarity = "verify_similarity"
            case verifyConcurrency = "verify_concurrency"
        }
        static var schema: KeySchema {
            .section(keys(of: CodingKeys.self, children: ["remote": RemoteEmbedder.schema, "guards": Guards.schema]))
        }
    }

    struct RemoteEmbedder: StrictDecodable {
        var url: String?
        var model: String?
        var apiKeyEnv: String?
        var dimensions: Int?
        var timeout: DurationValue?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case url, model, dimensions, timeout
            case apiKeyEnv = "api_key_env"
        }
    }

    struct Guards: StrictDecodable {
        var numbers: Bool?
        var negation: Bool?
        var quotes: Bool?
        var code: Bool?
        var entities: Bool?
        enum CodingKeys: String, CodingKey, CaseIterable { case numbers, negation, quotes, code, entities }
    }

    /// `off`, `on` (or `false`, `true`), or a similarity threshold from 0 to 1.
    struct SemanticPreferenceValue: Decodable {
        var preference: SemanticPreference

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let text: String
            if let flag = try? container.decode(Bool.self) {
                text = flag ? "on" : "off"
            } else if let number = try? container.decode(Double.self) {
                text = String(number)
            } else {
                text = (try? container.decode(String.self)) ?? ""
            }
            guard let preference = SemanticPreference(text: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected off, on, or a similarity threshold from 0 to 1 such as 0.97")
            }
            self.preference = preference
        }
    }

    /// A preset's value: a duration, or `bypass`.
    enum RuleAction: Decodable {
        case timeToLive(Duration)
        case bypass

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self), text.lowercased() == "bypass" {
                self = .bypass
            } else {
                self = .timeToLive(try container.decode(DurationValue.self).duration)
            }
        }
    }

    struct Volatility: StrictDecodable {
        var enabled: Bool?
        var timeSensitive: TimeSensitive?
        var personalData: PersonalData?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case enabled
            case timeSensitive = "time_sensitive"
            case personalData = "personal_data"
        }
        static var schema: KeySchema {
            .section(keys(of: CodingKeys.self, children: [
                "time_sensitive": TimeSensitive.schema, "personal_data": PersonalData.schema,
            ]))
        }
    }

    struct TimeSensitive: StrictDecodable {
        var action: VolatilityDetector.Action?
        var ttl: DurationValue?
        var words: [String]?
        var detectDates: Bool?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case action, ttl, words
            case detectDates = "detect_dates"
        }
    }

    struct PersonalData: StrictDecodable {
        var action: VolatilityDetector.Action?
        var ttl: DurationValue?
        var words: [String]?
        var detectEmails: Bool?
        var detectPhoneNumbers: Bool?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case action, ttl, words
            case detectEmails = "detect_emails"
            case detectPhoneNumbers = "detect_phone_numbers"
        }
    }

    struct Namespace: StrictDecodable {
        var shared: Bool?
        var secretEnv: String?
        var stateDirectory: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case shared
            case secretEnv = "secret_env"
            case stateDirectory = "state_directory"
        }
    }

    struct Prices: StrictDecodable {
        var file: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case file }
    }

    struct RequestLog: StrictDecodable {
        var path: String?
        var maxBytes: ByteSize?
        var maxFiles: Int?
        var logBodies: Bool?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case path
            case maxBytes = "max_bytes"
            case maxFiles = "max_files"
            case logBodies = "log_bodies"
        }
    }

    struct Admin: StrictDecodable {
        var tokenEnv: String?
        enum CodingKeys: String, CodingKey, CaseIterable { case tokenEnv = "token_env" }
    }
}

/// A duration written as seconds (`300`) or with units (`5m`, `1h30m`, `500ms`).
struct DurationValue: Decodable {
    var duration: Duration

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Int.self), seconds >= 0 {
            duration = .seconds(seconds)
        } else if let text = try? container.decode(String.self), let parsed = DurationText.parse(text) {
            duration = parsed
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a duration such as 300, '90s', '5m', '24h' or '1h30m'")
        }
    }
}

/// A size written as bytes (`1048576`) or with units (`256MiB`).
struct ByteSize: Decodable {
    var bytes: Int

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self), value >= 0 {
            bytes = value
        } else if let text = try? container.decode(String.self), let parsed = ByteSizeText.parse(text) {
            bytes = parsed
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a size such as 1048576, '512KiB' or '256MiB'")
        }
    }
}
