import Reprise
import RepriseGateway
import RepriseSemantic

extension SettingsCatalog {
    /// The configuration `draft` describes, once every source is read: what several keys build together
    /// (the rules with their presets, the volatility detector, the embedder), and the checks that involve
    /// more than one setting.
    static func assemble(_ draft: SettingsDraft) throws -> GatewayConfiguration {
        var configuration = draft.configuration
        if let (rules, origin) = draft.rules {
            configuration.policy.rules = try rules.enumerated().map { position, rule in
                try policyRule(rule, number: position + 1, presets: draft.presets, place: origin.place)
            }
        }
        if draft.volatilityGiven, draft.volatility.enabled ?? true {
            let given = draft.volatility
            configuration.policy.volatilityDetector = try VolatilityDetector(
                timeWords: given.timeWords ?? VolatilityDetector.defaultTimeWords, detectsDates: given.detectsDates ?? true,
                timeAction: given.timeAction ?? .shorten, timeSensitiveTimeToLive: given.timeTimeToLive ?? .seconds(60),
                personalWords: given.personalWords ?? [], detectsEmailAddresses: given.detectsEmails ?? true,
                detectsPhoneNumbers: given.detectsPhoneNumbers ?? true, personalAction: given.personalAction ?? .bypass,
                personalTimeToLive: given.personalTimeToLive ?? .seconds(60))
        }
        try assembleEmbedder(draft, into: &configuration)
        guard configuration.storeMaximumRetryBackoff >= configuration.storeRetryBackoff else {
            throw ConfigurationError.invalidValue(
                "cache.store_max_retry_backoff", in: "the configuration", reason: "must not be shorter than cache.store_retry_backoff")
        }
        try configuration.validateUpstreams()
        return configuration
    }

    /// The embedder `semantic.embedder`, `semantic.builtin_model` and `semantic.remote.*` choose together.
    private static func assembleEmbedder(_ draft: SettingsDraft, into configuration: inout GatewayConfiguration) throws {
        let remoteAsked = draft.embedderName?.value == "remote"
        if remoteAsked, let origin = draft.builtInModelOrigin {
            let key = if case .file = origin { "semantic.builtin_model" } else { origin.name(of: builtInModelSetting) }
            throw ConfigurationError.invalidValue(key, in: origin.place, reason: "is set but semantic.embedder is 'remote'")
        }
        if let origin = draft.remoteOrigin, let (name, _) = draft.embedderName, name != "remote" {
            throw ConfigurationError.invalidValue("semantic.remote", in: origin.place, reason: "is set but semantic.embedder is not 'remote'")
        }
        guard remoteAsked || draft.remoteOrigin != nil else { return }
        let place = draft.remoteOrigin?.place ?? draft.embedderName?.origin.place ?? "the configuration"
        guard let url = draft.remote.url, let model = draft.remote.model else {
            throw ConfigurationError.invalidValue(
                "semantic.remote", in: place,
                reason: "needs 'url' and 'model' for the remote embedder, such as url: https://api.openai.com, model: text-embedding-3-small")
        }
        var remote = RemoteEmbedderSettings(url: url, model: model, apiKey: draft.remote.apiKey, dimensions: draft.remote.dimensions)
        if let timeout = draft.remote.timeout { remote.timeout = timeout }
        configuration.semantic.embedder = .remote(remote)
    }

    private static var builtInModelSetting: Setting { semantic.first { $0.key == "semantic.builtin_model" }! }

    private static func policyRule(
        _ rule: FileValues.Rule, number: Int, presets: [String: PolicyRule.Action], place: String
    ) throws -> PolicyRule {
        let key = "cache.rules[\(number - 1)]"
        let actions = [rule.ttl != nil, rule.bypass == true, rule.preset != nil].filter { $0 }.count
        guard actions == 1 || (actions == 0 && rule.semantic != nil) else {
            throw ConfigurationError.invalidValue(
                key, in: place, reason: "must set exactly one of 'ttl', 'bypass: true' or 'preset' (or only 'semantic')")
        }
        let action: PolicyRule.Action
        if actions == 0 {
            action = .defaultTimeToLive
        } else if let ttl = rule.ttl {
            action = .timeToLive(ttl.duration)
        } else if let preset = rule.preset {
            guard let found = presets[preset] else {
                throw ConfigurationError.invalidValue(
                    key + ".preset", in: place, reason: "names '\(preset)', which is not one of \(presets.keys.sorted().joined(separator: ", "))")
            }
            action = found
        } else {
            action = .bypass
        }
        let prompt: TextPattern?
        do {
            prompt = try rule.prompt.map { try TextPattern($0) }
        } catch {
            throw ConfigurationError.invalidValue(key + ".prompt", in: place, reason: "is not a valid regular expression: '\(rule.prompt ?? "")'")
        }
        guard rule.headerValue == nil || rule.header != nil else {
            throw ConfigurationError.invalidValue(key + ".header_value", in: place, reason: "needs 'header' naming the header")
        }
        return PolicyRule(
            name: rule.name ?? "rule \(number)", route: rule.route.map(Glob.init), model: rule.model.map(Glob.init),
            headerName: rule.header, headerValue: rule.headerValue.map(Glob.init), prompt: prompt, action: action,
            semantic: rule.semantic?.preference)
    }
}
