import Foundation
import Reprise
import RepriseSemantic
import Yams

extension GatewayConfiguration {
    /// Values given on the command line, which override the file and the environment.
    public struct Overrides: Sendable {
        public var host: String?
        public var port: Int?
        public var upstreamURL: String?
        public var anthropicUpstreamURL: String?
        public var shadowMode: Bool?
        public var requestLogPath: String?
        public var stateDirectory: String?
        /// A store URL (`--store`), read like `cache.store`.
        public var store: String?
        /// `--semantic`: turn semantic matching on (with `semantic.default` unchanged, rules and headers decide).
        public var semantic: Bool?
        /// `--model-directory`: where the built-in embedding model is installed.
        public var semanticModelDirectory: String?
        /// `--builtin-model`: which built-in embedding model to load, by name.
        public var semanticBuiltInModel: String?

        public init(
            host: String? = nil, port: Int? = nil, upstreamURL: String? = nil, shadowMode: Bool? = nil,
            requestLogPath: String? = nil, stateDirectory: String? = nil, anthropicUpstreamURL: String? = nil,
            store: String? = nil
        ) {
            self.anthropicUpstreamURL = anthropicUpstreamURL
            self.store = store
            self.host = host
            self.port = port
            self.upstreamURL = upstreamURL
            self.shadowMode = shadowMode
            self.requestLogPath = requestLogPath
            self.stateDirectory = stateDirectory
        }
    }

    /// Loads the configuration: defaults, then the file at `path` (or `REPRISE_CONFIG`), then the
    /// environment, then `overrides`.
    /// - Throws: ``ConfigurationError`` naming the file, key or variable at fault.
    public static func load(
        path: String? = nil, environment: ProcessEnvironment = .current, overrides: Overrides = Overrides()
    ) throws -> GatewayConfiguration {
        var configuration = GatewayConfiguration()
        var secretsFrom = SecretSources()
        if let path = path ?? environment["REPRISE_CONFIG"] {
            let file = try ConfigurationFile.read(path: path)
            try configuration.apply(file, source: path, secrets: &secretsFrom)
        }
        try configuration.apply(environment: environment)
        try configuration.apply(overrides)
        try configuration.resolveSecrets(from: secretsFrom, environment: environment)
        try configuration.validate()
        return configuration
    }

    /// Names of environment variables that hold secrets, so the file never has to.
    struct SecretSources {
        var upstreamKey: String?
        var anthropicKey: String?
        var clientKeys: String? = "REPRISE_CLIENT_KEYS"
        var adminToken = "REPRISE_ADMIN_TOKEN"
        var namespaceSecret = "REPRISE_SECRET"
        var storeKey = StoreKeySource.default
        var semanticKey: String?
        /// `upstreams[position].api_key_env`: the variable holding that upstream's key.
        var upstreamListKeys: [(position: Int, variable: String)] = []

        /// Where the store's encryption key comes from: `REPRISE_STORE_KEY` when it is set, or the
        /// variable `cache.encryption_key_env` names, which must then be set.
        enum StoreKeySource {
            case `default`
            case named(String)
        }
    }

    mutating func apply(environment: ProcessEnvironment) throws {
        func value<T>(_ name: String, _ parse: (String) -> T?) throws -> T? {
            guard let text = environment[name] else { return nil }
            guard let parsed = parse(text) else {
                throw ConfigurationError.invalidValue(name, in: "the environment", reason: "cannot be read: '\(text)'")
            }
            return parsed
        }
        if let host = environment["REPRISE_HOST"] { self.host = host }
        if let port = try value("REPRISE_PORT", { Int($0) }) { self.port = port }
        if let upstream = environment["REPRISE_UPSTREAM"] { upstreamURL = upstream }
        if let upstream = environment["REPRISE_ANTHROPIC_UPSTREAM"] { anthropicUpstreamURL = upstream }
        if let enabled = try value("REPRISE_AUTO_BREAKPOINTS", Self.parseBool) { promptCacheBreakpoints.isEnabled = enabled }
        if let timeout = try value("REPRISE_UPSTREAM_TIMEOUT", DurationText.parse) { upstreamTimeout = timeout }
        if let timeout = try value("REPRISE_HEAD_TIMEOUT", DurationText.parse) { headReadTimeout = timeout }
        if let timeout = try value("REPRISE_BODY_TIMEOUT", DurationText.parse) { bodyReadTimeout = timeout }
        if let timeout = try value("REPRISE_IDLE_TIMEOUT", DurationText.parse) { idleTimeout = timeout }
        if let maximum = try value("REPRISE_MAX_CONNECTIONS", { Int($0) }) { maximumConnections = maximum }
        if let grace = try value("REPRISE_SHUTDOWN_GRACE", DurationText.parse) { shutdownGrace = grace }
        if let shadow = try value("REPRISE_SHADOW", Self.parseBool) { shadowMode = shadow }
        if let ttl = try value("REPRISE_DEFAULT_TTL", DurationText.parse) { policy.defaultTimeToLive = ttl }
        if let ttl = try value("REPRISE_MAX_TTL", DurationText.parse) { policy.maximumTimeToLive = ttl }
        if let capacity = try value("REPRISE_MEMORY_CAPACITY", ByteSizeText.parse) { memoryStoreCapacityBytes = capacity }
        if let path = environment["REPRISE_REQUEST_LOG"] { requestLogPath = path }
        if let url = environment["REPRISE_STORE"] { store = try StoreLocation(url: url, key: "REPRISE_STORE", in: "the environment") }
        if let deadline = try value("REPRISE_STORE_DEADLINE", DurationText.parse) { storeDeadline = deadline }
        if let tier = try value("REPRISE_MEMORY_TIER", DurationText.parse) { memoryTierTimeToLive = tier }
        if let directory = environment["REPRISE_STATE_DIR"] { stateDirectory = directory }
        if let file = environment["REPRISE_PRICES"] { prices = prices.merging(try PriceTable.load(contentsOf: file)) }
        if let enabled = try value("REPRISE_SEMANTIC", Self.parseBool) { semantic.isEnabled = enabled }
        if let directory = environment["REPRISE_MODEL_DIR"] { semantic.modelDirectory = directory }
        if let model = try value("REPRISE_BUILTIN_MODEL", BuiltInModel.named) { semantic.builtInModel = model }
    }

    mutating func apply(_ overrides: Overrides) throws {
        if let url = overrides.store { store = try StoreLocation(url: url, key: "--store", in: "the command line") }
        if let host = overrides.host { self.host = host }
        if let port = overrides.port { self.port = port }
        if let upstream = overrides.upstreamURL { upstreamURL = upstream }
        if let upstream = overrides.anthropicUpstreamURL { anthropicUpstreamURL = upstream }
        if let shadow = overrides.shadowMode { shadowMode = shadow }
        if let path = overrides.requestLogPath { requestLogPath = path }
        if let directory = overrides.stateDirectory { stateDirectory = directory }
        if let enabled = overrides.semantic { semantic.isEnabled = enabled }
        if let directory = overrides.semanticModelDirectory { semantic.modelDirectory = directory }
        if let name = overrides.semanticBuiltInModel {
            semantic.builtInModel = try Self.builtInModel(named: name, key: "--builtin-model", in: "the command line")
        }
    }

    /// The built-in model called `name`, or an error naming `key` and the models there are.
    static func builtInModel(named name: String, key: String, in source: String) throws -> BuiltInModel {
        guard let model = BuiltInModel.named(name) else {
            throw ConfigurationError.invalidValue(key, in: source, reason: "must be \(BuiltInModel.names), got '\(name)'")
        }
        return model
    }

    mutating func resolveSecrets(from sources: SecretSources, environment: ProcessEnvironment) throws {
        /// The value of the variable a file key names, which must be set.
        func required(_ name: String?, key: String) throws -> String? {
            guard let name else { return nil }
            guard let value = environment[name] else {
                throw ConfigurationError.invalidValue(
                    key, in: "the configuration",
                    reason: "names the environment variable '\(name)', which is not set; export it or remove the key")
            }
            return value
        }
        if let key = try required(sources.upstreamKey, key: "upstream.api_key_env") { upstreamAPIKey = key }
        if let key = try required(sources.anthropicKey, key: "upstream.anthropic_api_key_env") { anthropicAPIKey = key }
        for (position, variable) in sources.upstreamListKeys {
            upstreams[position].apiKey = try required(variable, key: "upstreams[\(position)].api_key_env")
        }
        if let key = try required(sources.semanticKey, key: "semantic.remote.api_key_env"), case .remote(var remote) = semantic.embedder {
            remote.apiKey = key
            semantic.embedder = .remote(remote)
        }
        if let name = sources.clientKeys, let keys = environment[name] {
            clientKeys.formUnion(keys.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        if let token = environment[sources.adminToken] { adminToken = token }
        if let secret = environment[sources.namespaceSecret] { namespaceSecret = try ServerSecret.fromConfiguredValue(secret) }
        try resolveStoreKey(from: sources.storeKey, environment: environment)
    }

    func validate() throws {
        func check(_ condition: Bool, _ key: String, _ reason: String) throws {
            if !condition { throw ConfigurationError.invalidValue(key, in: "the configuration", reason: reason) }
        }
        try check((0...65535).contains(port), "server.port", "must be between 0 and 65535, got \(port)")
        try check(maximumBodyBytes > 0, "server.max_body_bytes", "must be positive")
        try check(headReadTimeout > .zero, "server.head_timeout", "must be positive")
        try check(bodyReadTimeout > .zero, "server.body_timeout", "must be positive")
        try check(idleTimeout > .zero, "server.idle_timeout", "must be positive")
        try check(shutdownGrace >= .zero, "server.shutdown_grace", "must not be negative")
        try check((maximumConnections ?? 1) >= 1, "server.max_connections", "must be at least 1, got \(maximumConnections ?? 0)")
        if let token = adminToken {
            try check(
                token.utf8.count >= 16, "REPRISE_ADMIN_TOKEN",
                "must be at least 16 characters long (openssl rand -hex 16 makes one); a short token can be guessed")
        }
        try check(upstreamTimeout > .zero, "upstream.timeout", "must be positive")
        try check(policy.defaultTimeToLive >= .zero, "cache.default_ttl", "must not be negative")
        try check(policy.maximumTimeToLive > .zero, "cache.max_ttl", "must be positive")
        try check(storeDeadline > .zero, "cache.store_deadline", "must be positive")
        try check(storeFailureThreshold >= 1, "cache.store_failure_threshold", "must be at least 1, got \(storeFailureThreshold)")
        try check(storeRetryBackoff > .zero, "cache.store_retry_backoff", "must be positive")
        try check(storeMaximumRetryBackoff >= storeRetryBackoff, "cache.store_max_retry_backoff", "must not be shorter than cache.store_retry_backoff")
        try check(storeCapacityBytes > 0, "cache.store_capacity", "must be positive")
        try check(memcachedItemSizeLimit >= 1024, "cache.memcached_item_size_limit", "must be at least 1KiB")
        try validateSemantic(check: check)
        try validateUpstreams()
        for (key, value, example) in [
            ("upstream.url", upstreamURL, "https://api.openai.com"),
            ("upstream.anthropic_url", anthropicUpstreamURL, "https://api.anthropic.com"),
        ] {
            guard let url = URL(string: value), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw ConfigurationError.invalidValue(
                    key, in: "the configuration", reason: "must be an http or https URL such as \(example), got '\(value)'")
            }
        }
    }

    private func validateSemantic(check: (Bool, String, String) throws -> Void) throws {
        let unit: ClosedRange<Float> = 0...1
        try check(unit.contains(policy.semanticThreshold), "semantic.threshold", "must be from 0 to 1, got \(policy.semanticThreshold)")
        try check(semantic.candidates >= 1, "semantic.candidates", "must be at least 1, got \(semantic.candidates)")
        try check(semantic.scopeLimit >= 1, "semantic.scope_limit", "must be at least 1, got \(semantic.scopeLimit)")
        try check(semantic.maximumIndexedEntries >= 1, "semantic.max_indexed", "must be at least 1, got \(semantic.maximumIndexedEntries)")
        try check(semantic.refreshInterval >= .zero, "semantic.refresh_interval", "must not be negative")
        try check((0...1).contains(semantic.verificationRate), "semantic.verify_rate", "must be from 0 to 1, got \(semantic.verificationRate)")
        try check(unit.contains(semantic.verificationSimilarity), "semantic.verify_similarity", "must be from 0 to 1, got \(semantic.verificationSimilarity)")
        try check(semantic.maximumConcurrentVerifications >= 1, "semantic.verify_concurrency", "must be at least 1")
    }

    /// Whether the policy lets any request match semantically (the default or a rule), which only takes
    /// effect when ``SemanticSettings/isEnabled``.
    var policyAsksForSemantic: Bool {
        let asks = { (preference: SemanticPreference?) in preference != nil && preference != .off }
        return asks(policy.semantic) || policy.rules.contains { asks($0.semantic) }
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "true", "yes", "on": true
        case "0", "false", "no", "off": false
        default: nil
        }
    }
}

extension ConfigurationFile {
    /// Reads and checks the file at `path`.
    static func read(path: String) throws -> ConfigurationFile {
        let text = try ConfigurationFileReader.text(at: path)
        // A file with nothing but comments (a template with every line commented out) sets nothing.
        if isEmptyDocument(text) { return ConfigurationFile() }
        if let node = try? Yams.compose(yaml: text), let unknown = schema.firstUnknownKey(in: node) {
            throw ConfigurationError.invalidFile(
                path,
                reason: "unknown key '\(unknown.path)' on line \(unknown.line); allowed here: \(unknown.allowed.joined(separator: ", "))")
        }
        return try ConfigurationFileReader.decode(ConfigurationFile.self, from: text, path: path)
    }

    private static func isEmptyDocument(_ text: String) -> Bool {
        do { return try Yams.compose(yaml: text) == nil } catch { return false }
    }
}

extension GatewayConfiguration {
    mutating func resolveStoreKey(from source: SecretSources.StoreKeySource, environment: ProcessEnvironment) throws {
        let name: String
        switch source {
        case .default:
            name = "REPRISE_STORE_KEY"
            guard environment[name] != nil else { return }
        case .named(let named):
            name = named
            guard environment[name] != nil else {
                throw ConfigurationError.invalidValue(
                    "cache.encryption_key_env", in: "the configuration",
                    reason: "names the environment variable '\(name)', which is not set; export 32 random bytes in base64 (openssl rand -base64 32) or remove the key")
            }
        }
        guard let bytes = Data(base64Encoded: environment[name]!.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32 else {
            throw ConfigurationError.invalidValue(
                name, in: "the environment", reason: "must be 32 bytes in base64 (openssl rand -base64 32); the value is not")
        }
        storeEncryptionKey = Array(bytes)
    }
}
