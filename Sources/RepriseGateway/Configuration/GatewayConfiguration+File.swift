import Reprise
import RepriseSemantic

extension GatewayConfiguration {
    mutating func apply(_ file: ConfigurationFile, source: String, secrets: inout SecretSources) throws {
        if let server = file.server {
            if let host = server.host { self.host = host }
            if let port = server.port { self.port = port }
            if let size = server.maxBodyBytes { maximumBodyBytes = size.bytes }
            if let size = server.maxResponseBytes { maximumResponseBytes = size.bytes }
            if let timeout = server.headTimeout { headReadTimeout = timeout.duration }
            if let timeout = server.bodyTimeout { bodyReadTimeout = timeout.duration }
            if let timeout = server.idleTimeout { idleTimeout = timeout.duration }
            if let maximum = server.maxConnections { maximumConnections = maximum }
            if let grace = server.shutdownGrace { shutdownGrace = grace.duration }
        }
        if let upstream = file.upstream {
            if let url = upstream.url { upstreamURL = url }
            if let timeout = upstream.timeout { upstreamTimeout = timeout.duration }
            if let timeout = upstream.connectTimeout { upstreamConnectTimeout = timeout.duration }
            if let asks = upstream.streamUsage { asksForStreamUsage = asks }
            secrets.upstreamKey = upstream.apiKeyEnv
            if let url = upstream.anthropicURL { anthropicUpstreamURL = url }
            secrets.anthropicKey = upstream.anthropicAPIKeyEnv
        }
        if let entries = file.upstreams {
            upstreams = entries.map { UpstreamSettings(name: $0.name, provider: $0.provider.lowercased(), url: $0.url, models: $0.models ?? []) }
            secrets.upstreamListKeys = entries.enumerated().compactMap { position, entry in entry.apiKeyEnv.map { (position, $0) } }
        }
        if let promptCache = file.promptCache {
            if let enabled = promptCache.autoBreakpoints { promptCacheBreakpoints.isEnabled = enabled }
            if let minimums = promptCache.minimumTokens {
                for (position, minimum) in minimums.enumerated() where minimum.tokens <= 0 {
                    throw ConfigurationError.invalidValue(
                        "prompt_cache.minimum_tokens[\(position)].tokens", in: source, reason: "must be positive, got \(minimum.tokens)")
                }
                promptCacheBreakpoints.minimums = minimums.map { .init(model: $0.model, tokens: $0.tokens) }
            }
        }
        if let auth = file.auth {
            clientKeys.formUnion(auth.clientKeys ?? [])
            if let name = auth.clientKeysEnv { secrets.clientKeys = name }
        }
        if let cache = file.cache {
            try apply(cache, source: source)
            if let name = cache.encryptionKeyEnv { secrets.storeKey = .named(name) }
        }
        if let namespace = file.namespace {
            if let shared = namespace.shared { sharesNamespaceAcrossCredentials = shared }
            if let name = namespace.secretEnv { secrets.namespaceSecret = name }
            if let directory = namespace.stateDirectory { stateDirectory = directory }
        }
        if let path = file.prices?.file { prices = prices.merging(try PriceTable.load(contentsOf: path)) }
        if let log = file.requestLog {
            if let path = log.path { requestLogPath = path }
            if let size = log.maxBytes { requestLogMaximumBytes = size.bytes == 0 ? nil : size.bytes }
            if let count = log.maxFiles { requestLogMaximumFiles = count }
            if let bodies = log.logBodies { logsBodies = bodies }
        }
        if let name = file.admin?.tokenEnv { secrets.adminToken = name }
        if let section = file.semantic { try apply(section, source: source, secrets: &secrets) }
    }

    private mutating func apply(_ section: ConfigurationFile.Semantic, source: String, secrets: inout SecretSources) throws {
        if let enabled = section.enabled { semantic.isEnabled = enabled }
        if let preference = section.default { policy.semantic = preference.preference }
        if let threshold = section.threshold { policy.semanticThreshold = threshold }
        if let directory = section.modelDirectory { semantic.modelDirectory = directory }
        if let name = section.builtinModel {
            let model = try Self.builtInModel(named: name, key: "semantic.builtin_model", in: source)
            guard section.embedder?.lowercased() != "remote" else {
                throw ConfigurationError.invalidValue("semantic.builtin_model", in: source, reason: "is set but semantic.embedder is 'remote'")
            }
            semantic.builtInModel = model
        }
        switch section.embedder?.lowercased() {
        case nil, "builtin", "built-in":
            guard section.remote == nil || section.embedder == nil else {
                throw ConfigurationError.invalidValue("semantic.remote", in: source, reason: "is set but semantic.embedder is not 'remote'")
            }
            if section.remote != nil { fallthrough }
        case "remote":
            guard let remote = section.remote, let url = remote.url, let model = remote.model else {
                throw ConfigurationError.invalidValue(
                    "semantic.remote", in: source, reason: "needs 'url' and 'model' for the remote embedder, such as url: https://api.openai.com, model: text-embedding-3-small")
            }
            if let dimensions = remote.dimensions, dimensions <= 0 {
                throw ConfigurationError.invalidValue("semantic.remote.dimensions", in: source, reason: "must be positive, got \(dimensions)")
            }
            var settings = RemoteEmbedderSettings(url: url, model: model, dimensions: remote.dimensions)
            if let timeout = remote.timeout {
                guard timeout.duration > .zero else {
                    throw ConfigurationError.invalidValue("semantic.remote.timeout", in: source, reason: "must be positive")
                }
                settings.timeout = timeout.duration
            }
            semantic.embedder = .remote(settings)
            secrets.semanticKey = remote.apiKeyEnv
        case let other?:
            throw ConfigurationError.invalidValue("semantic.embedder", in: source, reason: "must be 'builtin' or 'remote', got '\(other)'")
        }
        if let guards = section.guards {
            let switches: [(SemanticGuard, Bool?)] = [
                (.numbers, guards.numbers), (.negation, guards.negation), (.quotes, guards.quotes), (.code, guards.code),
                (.entities, guards.entities),
            ]
            for (guardName, enabled) in switches {
                guard let enabled else { continue }
                if enabled { semantic.guards.enabled.insert(guardName) } else { semantic.guards.enabled.remove(guardName) }
            }
        }
        if let candidates = section.candidates { semantic.candidates = candidates }
        if let interval = section.refreshInterval { semantic.refreshInterval = interval.duration }
        if let limit = section.scopeLimit { semantic.scopeLimit = limit }
        if let limit = section.maxIndexed { semantic.maximumIndexedEntries = limit }
        if let rate = section.verifyRate { semantic.verificationRate = rate }
        if let similarity = section.verifySimilarity { semantic.verificationSimilarity = similarity }
        if let concurrency = section.verifyConcurrency { semantic.maximumConcurrentVerifications = concurrency }
    }

    private mutating func apply(_ cache: ConfigurationFile.Cache, source: String) throws {
        if let ttl = cache.defaultTTL { policy.defaultTimeToLive = ttl.duration }
        if let ttl = cache.maxTTL { policy.maximumTimeToLive = ttl.duration }
        if let shadow = cache.shadow { shadowMode = shadow }
        if let fields = cache.excludedFields { keyBuilder = CacheKeyBuilder(excludedFields: Set(fields)) }
        if let capacity = cache.memoryCapacity { memoryStoreCapacityBytes = capacity.bytes }
        if let interval = cache.expirySweepInterval { expirySweepInterval = interval.duration }
        if let window = cache.staleIfError { staleIfError = window.duration }
        if let pacing = cache.replayPacing { replayPacing = pacing.duration }
        if let url = cache.store { store = try StoreLocation(url: url, key: "cache.store", in: source) }
        if let deadline = cache.storeDeadline { storeDeadline = deadline.duration }
        if let threshold = cache.storeFailureThreshold { storeFailureThreshold = threshold }
        if let backoff = cache.storeRetryBackoff { storeRetryBackoff = backoff.duration }
        if let backoff = cache.storeMaxRetryBackoff { storeMaximumRetryBackoff = backoff.duration }
        if let capacity = cache.storeCapacity { storeCapacityBytes = capacity.bytes }
        if let tier = cache.memoryTier { memoryTierTimeToLive = tier.duration }
        if let limit = cache.memcachedItemSizeLimit { memcachedItemSizeLimit = limit.bytes }
        var presets = CachePolicy.builtInPresets
        for (name, action) in cache.presets ?? [:] {
            switch action {
            case .bypass: presets[name] = .bypass
            case .timeToLive(let ttl): presets[name] = .timeToLive(ttl)
            }
        }
        policy.rules = try (cache.rules ?? []).enumerated().map { position, rule in
            try Self.policyRule(rule, number: position + 1, presets: presets, source: source)
        }
        if let volatility = cache.volatility, volatility.enabled ?? true {
            policy.volatilityDetector = try Self.detector(volatility)
        }
    }

    private static func policyRule(
        _ rule: ConfigurationFile.Rule, number: Int, presets: [String: PolicyRule.Action], source: String
    ) throws -> PolicyRule {
        let key = "cache.rules[\(number - 1)]"
        let actions = [rule.ttl != nil, rule.bypass == true, rule.preset != nil].filter { $0 }.count
        guard actions == 1 || (actions == 0 && rule.semantic != nil) else {
            throw ConfigurationError.invalidValue(
                key, in: source, reason: "must set exactly one of 'ttl', 'bypass: true' or 'preset' (or only 'semantic')")
        }
        let action: PolicyRule.Action
        if actions == 0 {
            action = .defaultTimeToLive
        } else if let ttl = rule.ttl {
            action = .timeToLive(ttl.duration)
        } else if let preset = rule.preset {
            guard let found = presets[preset] else {
                throw ConfigurationError.invalidValue(
                    key + ".preset", in: source, reason: "names '\(preset)', which is not one of \(presets.keys.sorted().joined(separator: ", "))")
            }
            action = found
        } else {
            action = .bypass
        }
        let prompt: TextPattern?
        do {
            prompt = try rule.prompt.map { try TextPattern($0) }
        } catch {
            throw ConfigurationError.invalidValue(key + ".prompt", in: source, reason: "is not a valid regular expression: '\(rule.prompt ?? "")'")
        }
        guard rule.headerValue == nil || rule.header != nil else {
            throw ConfigurationError.invalidValue(key + ".header_value", in: source, reason: "needs 'header' naming the header")
        }
        return PolicyRule(
            name: rule.name ?? "rule \(number)", route: rule.route.map(Glob.init), model: rule.model.map(Glob.init),
            headerName: rule.header, headerValue: rule.headerValue.map(Glob.init), prompt: prompt, action: action,
            semantic: rule.semantic?.preference)
    }

    private static func detector(_ volatility: ConfigurationFile.Volatility) throws -> VolatilityDetector {
        let time = volatility.timeSensitive
        let personal = volatility.personalData
        return try VolatilityDetector(
            timeWords: time?.words ?? VolatilityDetector.defaultTimeWords, detectsDates: time?.detectDates ?? true,
            timeAction: time?.action ?? .shorten, timeSensitiveTimeToLive: time?.ttl?.duration ?? .seconds(60),
            personalWords: personal?.words ?? [], detectsEmailAddresses: personal?.detectEmails ?? true,
            detectsPhoneNumbers: personal?.detectPhoneNumbers ?? true, personalAction: personal?.action ?? .bypass,
            personalTimeToLive: personal?.ttl?.duration ?? .seconds(60))
    }
}
