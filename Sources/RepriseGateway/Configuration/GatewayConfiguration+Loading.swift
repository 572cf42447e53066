import Foundation
import Reprise
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

        public init(
            host: String? = nil, port: Int? = nil, upstreamURL: String? = nil, shadowMode: Bool? = nil,
            requestLogPath: String? = nil, stateDirectory: String? = nil, anthropicUpstreamURL: String? = nil
        ) {
            self.anthropicUpstreamURL = anthropicUpstreamURL
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
        configuration.apply(overrides)
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
        if let shadow = try value("REPRISE_SHADOW", Self.parseBool) { shadowMode = shadow }
        if let ttl = try value("REPRISE_DEFAULT_TTL", DurationText.parse) { policy.defaultTimeToLive = ttl }
        if let ttl = try value("REPRISE_MAX_TTL", DurationText.parse) { policy.maximumTimeToLive = ttl }
        if let capacity = try value("REPRISE_MEMORY_CAPACITY", ByteSizeText.parse) { memoryStoreCapacityBytes = capacity }
        if let path = environment["REPRISE_REQUEST_LOG"] { requestLogPath = path }
        if let directory = environment["REPRISE_STATE_DIR"] { stateDirectory = directory }
        if let file = environment["REPRISE_PRICES"] { prices = prices.merging(try PriceTable.load(contentsOf: file)) }
    }

    mutating func apply(_ overrides: Overrides) {
        if let host = overrides.host { self.host = host }
        if let port = overrides.port { self.port = port }
        if let upstream = overrides.upstreamURL { upstreamURL = upstream }
        if let upstream = overrides.anthropicUpstreamURL { anthropicUpstreamURL = upstream }
        if let shadow = overrides.shadowMode { shadowMode = shadow }
        if let path = overrides.requestLogPath { requestLogPath = path }
        if let directory = overrides.stateDirectory { stateDirectory = directory }
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
        if let name = sources.clientKeys, let keys = environment[name] {
            clientKeys.formUnion(keys.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        if let token = environment[sources.adminToken] { adminToken = token }
        if let secret = environment[sources.namespaceSecret] { namespaceSecret = try ServerSecret.fromConfiguredValue(secret) }
    }

    func validate() throws {
        func check(_ condition: Bool, _ key: String, _ reason: String) throws {
            if !condition { throw ConfigurationError.invalidValue(key, in: "the configuration", reason: reason) }
        }
        try check((0...65535).contains(port), "server.port", "must be between 0 and 65535, got \(port)")
        try check(maximumBodyBytes > 0, "server.max_body_bytes", "must be positive")
        try check(upstreamTimeout > .zero, "upstream.timeout", "must be positive")
        try check(policy.defaultTimeToLive >= .zero, "cache.default_ttl", "must not be negative")
        try check(policy.maximumTimeToLive > .zero, "cache.max_ttl", "must be positive")
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
        if let node = try? Yams.compose(yaml: text), let unknown = schema.firstUnknownKey(in: node) {
            throw ConfigurationError.invalidFile(
                path,
                reason: "unknown key '\(unknown.path)' on line \(unknown.line); allowed here: \(unknown.allowed.joined(separator: ", "))")
        }
        return try ConfigurationFileReader.decode(ConfigurationFile.self, from: text, path: path)
    }
}
