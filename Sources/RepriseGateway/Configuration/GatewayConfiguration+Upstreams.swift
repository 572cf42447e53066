import Foundation
import Reprise
import RepriseProviders

extension GatewayConfiguration {
    /// The upstreams the gateway forwards to: ``upstreams`` as listed, then, for each provider the list does
    /// not name, one entry for every model at the provider's default URL (``upstreamURL`` and
    /// ``upstreamAPIKey`` for OpenAI, ``anthropicUpstreamURL`` and ``anthropicAPIKey`` for Anthropic, the
    /// provider's public API for the others; none for a provider without one, such as Azure OpenAI, whose URL
    /// is per deployment).
    public func effectiveUpstreams(providers: ProviderRegistry = .builtIn) -> [UpstreamSettings] {
        var result = upstreams
        let named = Set(upstreams.map { $0.provider.lowercased() })
        for provider in providers.providers where !named.contains(provider.name) {
            switch provider.name {
            case "openai": result.append(UpstreamSettings(name: "openai", provider: "openai", url: upstreamURL, apiKey: upstreamAPIKey))
            case "anthropic":
                result.append(UpstreamSettings(name: "anthropic", provider: "anthropic", url: anthropicUpstreamURL, apiKey: anthropicAPIKey))
            default:
                if let url = provider.defaultUpstreamURL { result.append(UpstreamSettings(name: provider.name, provider: provider.name, url: url)) }
            }
        }
        return result
    }

    /// Checks the list: known providers, unique names, URLs the gateway can reach.
    public func validateUpstreams(providers: ProviderRegistry = .builtIn) throws {
        var names: Set<String> = []
        for (position, upstream) in upstreams.enumerated() {
            let key = "upstreams[\(position)]"
            guard !upstream.name.isEmpty else { throw ConfigurationError.invalidValue("\(key).name", in: "the configuration", reason: "must not be empty") }
            guard names.insert(upstream.name).inserted else {
                throw ConfigurationError.invalidValue("\(key).name", in: "the configuration", reason: "'\(upstream.name)' names two upstreams; names must be unique")
            }
            guard providers.provider(named: upstream.provider) != nil else {
                throw ConfigurationError.invalidValue(
                    "\(key).provider", in: "the configuration",
                    reason: "must be one of \(providers.names.joined(separator: ", ")), got '\(upstream.provider)'")
            }
            try Self.checkURL(upstream.url, key: "\(key).url", example: "https://api.openai.com")
            for (index, model) in upstream.models.enumerated() where model.isEmpty {
                throw ConfigurationError.invalidValue("\(key).models[\(index)]", in: "the configuration", reason: "must not be empty")
            }
        }
    }

    /// Checks that `value` is an http or https URL with a host.
    static func checkURL(_ value: String, key: String, example: String) throws {
        guard let schemeEnd = value.range(of: "://"), ["http", "https"].contains(value[..<schemeEnd.lowerBound].lowercased()),
            !value[schemeEnd.upperBound...].prefix(while: { $0 != "/" && $0 != "?" }).isEmpty
        else {
            throw ConfigurationError.invalidValue(key, in: "the configuration", reason: "must be an http or https URL such as \(example), got '\(value)'")
        }
    }
}
