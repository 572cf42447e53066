import Reprise
import RepriseProviders

/// One configured upstream with its open client.
struct Upstream: Sendable {
    let settings: UpstreamSettings
    let client: UpstreamClient

    var name: String { settings.name }
}

/// The upstreams of every provider, and the rule that picks one for a request.
///
/// A request of a provider's shape goes to the first upstream of that provider whose `models` match its
/// model; failing that, to the first of that provider's upstreams without `models` (its fallback). A
/// provider with upstreams of which none takes the model refuses the request with a 400 naming the model
/// and the globs; a provider with no upstream at all refuses it naming the setting to add.
struct UpstreamTable: Sendable {
    let upstreams: [Upstream]

    /// The upstream for a request of `provider` for `model` (`nil` for a request that names none, such as a
    /// pass-through `GET /v1/models`, which goes to the fallback, else the first upstream of the provider).
    /// - Complexity: O(u·g) in the upstreams and their globs.
    func upstream(for provider: any Provider, model: String?) throws(GatewayError) -> Upstream {
        let candidates = upstreams.filter { $0.settings.provider == provider.name }
        guard !candidates.isEmpty else { throw .noUpstream(provider: provider.name) }
        if let model {
            if let matched = candidates.first(where: { !$0.settings.isFallback && $0.settings.accepts(model) }) { return matched }
            if let fallback = candidates.first(where: \.settings.isFallback) { return fallback }
            throw .noUpstream(provider: provider.name, model: model, globs: candidates.map { ($0.name, $0.settings.models) })
        }
        return candidates.first(where: \.settings.isFallback) ?? candidates[0]
    }

    /// Shuts every client down.
    func shutdownAfterFailedStart() {
        for upstream in upstreams { upstream.client.shutdownAfterFailedStart() }
    }
}
