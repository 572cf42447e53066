import Reprise

/// Makes the remote embedder (wired when `RemoteEmbedder` lands in RepriseSemantic).
enum RemoteEmbedderFactory {
    static func make(_ settings: RemoteEmbedderSettings) throws -> NamedEmbedder {
        throw ConfigurationError.invalidValue(
            "semantic.embedder", in: "the configuration", reason: "is 'remote', which this build cannot use yet; use 'builtin'")
    }
}
