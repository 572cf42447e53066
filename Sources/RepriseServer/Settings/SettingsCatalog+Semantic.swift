import Reprise
import RepriseGateway
import RepriseSemantic

extension SettingsCatalog {
    // MARK: - semantic

    static let semantic: [Setting] = [
        .boolean(
            "semantic.enabled", environment: "REPRISE_SEMANTIC", flag: "semantic", \.semantic.isEnabled,
            summary: "load the embedder at start-up (a missing model stops the gateway with instructions); while `false`, rules and defaults asking for semantic matching match exactly only, so it works as a switch"),
        Setting(
            "semantic.default", valueKind: "`off`, `on` or a threshold", defaultText: "off",
            summary: "whether requests no rule's `semantic` speaks for may be answered semantically"
        ) { input, draft in draft.configuration.policy.semantic = try input.decoded(FileValues.SemanticPreferenceValue.self).preference },
        .fraction(
            "semantic.threshold", \.policy.semanticThreshold,
            summary: "the similarity `on` means; 0.96 keeps false hits ≤ 1% in the evaluation"),
        Setting(
            "semantic.embedder", valueKind: "`builtin` or `remote`", defaultText: "builtin",
            summary: "`builtin` (a model run in the gateway, `reprise model pull`) or `remote` (an OpenAI-compatible embeddings endpoint, `semantic.remote.*`)"
        ) { input, draft in
            let name = try input.text().lowercased()
            guard ["builtin", "built-in", "remote"].contains(name) else { throw input.invalid("must be 'builtin' or 'remote', got '\(name)'") }
            draft.embedderName = (name, input.origin)
        },
        Setting(
            "semantic.builtin_model", environment: "REPRISE_BUILTIN_MODEL", flag: "builtin-model", valueKind: "model name",
            defaultText: BuiltInModel.default.name,
            summary: "the built-in model: `all-MiniLM-L6-v2`, or `all-mpnet-base-v2` (`reprise model pull all-mpnet-base-v2`): more precise, about seven times the compute per text ([semantic-cache.md](semantic-cache.md#the-built-in-embedders))"
        ) { input, draft in
            let name = try input.text()
            guard let model = BuiltInModel.named(name) else { throw input.invalid("must be \(BuiltInModel.names), got '\(name)'") }
            draft.configuration.semantic.builtInModel = model
            draft.builtInModelOrigin = input.origin
        },
        .optionalText(
            "semantic.model_directory", environment: "REPRISE_MODEL_DIR", flag: "model-directory", \.semantic.modelDirectory, valueKind: "path",
            defaultText: "`<state>/models/<builtin_model>`", summary: "where the built-in model is installed"),
        remote("url", valueKind: "URL", summary: "an OpenAI-compatible `/v1/embeddings` endpoint's base URL, for `embedder: remote`") { input, draft in
            draft.remote.url = try input.text()
        },
        remote("model", valueKind: "text", summary: "the embedding model to ask that endpoint for") { input, draft in draft.remote.model = try input.text() },
        Setting(
            "semantic.remote.api_key_env", valueKind: "variable name", defaultText: "none",
            summary: "the variable holding the endpoint's API key (must be set when named)"
        ) { input, draft in
            draft.remote.apiKey = try draft.required(try input.text(), for: input)
            draft.remoteOrigin = draft.remoteOrigin ?? input.origin
        },
        remote(
            "dimensions", valueKind: "integer",
            summary: "the `dimensions` to ask for, when the model can shorten its vectors; without it, the gateway asks the endpoint for one embedding at start-up to learn the size (and check URL, key and model)"
        ) { input, draft in
            let dimensions = try input.parsed("a whole number", { Int($0) })
            guard dimensions > 0 else { throw input.invalid("must be positive, got \(dimensions)") }
            draft.remote.dimensions = dimensions
        },
        remote(
            "timeout", valueKind: "duration", defaultText: "2s",
            summary: "how long one embeddings request may take, its retries included (a 429, 500, 502, 503 or 504 is tried again up to twice, after `Retry-After` or a backoff from 0.5 s, only when the wait ends in time); a lookup waits for it, so an endpoint that is down costs at most this, and the request goes upstream without semantic matching"
        ) { input, draft in
            let timeout = try input.parsed("a duration such as '2s'", DurationText.parse)
            guard timeout > .zero else { throw input.invalid("must be positive") }
            draft.remote.timeout = timeout
        },
        guardSwitch(.numbers, summary: "vetoes a match when the two requests' numbers differ"),
        guardSwitch(.negation, summary: "vetoes a match when one request negates what the other asks"),
        guardSwitch(.quotes, summary: "vetoes a match when quoted text differs"),
        guardSwitch(.code, summary: "vetoes a match when code differs"),
        guardSwitch(.entities, summary: "vetoes a match when the names (people, places, products) differ"),
        .integer("semantic.candidates", \.semantic.candidates, in: 1...1000, summary: "nearest entries checked before giving up"),
        .duration(
            "semantic.refresh_interval", \.semantic.refreshInterval, allowsZero: true,
            summary: "how long a scope's shared list is trusted before it is read again (replicas see each other's entries after at most this)"),
        .integer("semantic.scope_limit", \.semantic.scopeLimit, in: 1...10_000_000, summary: "entries one scope's shared list keeps (those expiring last)"),
        .integer(
            "semantic.max_indexed", \.semantic.maximumIndexedEntries, in: 1...100_000_000,
            summary: "vectors kept in memory across all scopes (about 1.6 KB each with all-MiniLM-L6-v2, 3.1 KB with all-mpnet-base-v2)"),
        .fraction(
            "semantic.verify_rate", \.semantic.verificationRate,
            summary: "share of semantic hits also sent upstream to measure the false-hit rate (0 turns verification off)"),
        .fraction("semantic.verify_similarity", \.semantic.verificationSimilarity, summary: "two answers at least this alike count as the same"),
        .integer(
            "semantic.verify_concurrency", \.semantic.maximumConcurrentVerifications, in: 1...10_000,
            summary: "verification calls in flight at most; further hits are not verified"),
    ]

    /// A key of `semantic.remote`: any of them asks for the remote embedder.
    private static func remote(
        _ key: String, valueKind: String, defaultText: String = "none", summary: String,
        read: @escaping @Sendable (SettingInput, inout SettingsDraft) throws -> Void
    ) -> Setting {
        Setting("semantic.remote." + key, valueKind: valueKind, defaultText: defaultText, summary: summary) { input, draft in
            try read(input, &draft)
            draft.remoteOrigin = draft.remoteOrigin ?? input.origin
        }
    }

    /// `semantic.guards.<name>`: whether that guard vetoes matches.
    private static func guardSwitch(_ vetoing: SemanticGuard, summary: String) -> Setting {
        Setting("semantic.guards.\(vetoing.rawValue)", valueKind: "boolean", defaultText: "true", summary: summary) { input, draft in
            if try input.parsed("true or false", Setting.boolean(from:)) {
                draft.configuration.semantic.guards.enabled.insert(vetoing)
            } else {
                draft.configuration.semantic.guards.enabled.remove(vetoing)
            }
        }
    }
}
