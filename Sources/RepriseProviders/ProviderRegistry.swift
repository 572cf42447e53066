import Reprise

/// The providers the gateway speaks, in the order they are asked: the one place a provider is registered.
public struct ProviderRegistry: Sendable {
    public let providers: [any Provider]

    public init(_ providers: [any Provider]) {
        self.providers = providers
    }

    /// Every provider Reprise ships.
    public static let builtIn = ProviderRegistry([OpenAIProvider(), AnthropicProvider(), GeminiProvider(), AzureOpenAIProvider()])

    /// The provider called `name`, ignoring case.
    public func provider(named name: String) -> (any Provider)? {
        providers.first { $0.name == name.lowercased() }
    }

    /// The names of the providers, for messages.
    public var names: [String] { providers.map(\.name) }

    /// The cached operation `request` asks for, with its provider; `nil` when no provider caches it.
    public func operation(for request: ProviderRequestHead) -> (provider: any Provider, operation: ProviderOperation)? {
        for provider in providers {
            if let operation = provider.operation(for: request) { return (provider, operation) }
        }
        return nil
    }

    /// The provider whose upstream a request that is not cached goes to: the strongest claim, the first
    /// registered on a tie; `nil` when none claims it.
    public func passThroughProvider(for request: ProviderRequestHead) -> (any Provider)? {
        var best: (provider: any Provider, claim: PassThroughClaim)?
        for provider in providers {
            guard let claim = provider.passThroughClaim(for: request) else { continue }
            if best == nil || claim > best!.claim { best = (provider, claim) }
        }
        return best?.provider
    }

    /// Every route label of every provider.
    public var routes: [String] { providers.flatMap(\.routes) }
}
