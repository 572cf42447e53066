import Foundation
import Reprise
import RepriseGateway

/// Every setting of `reprise serve`, each declared once (see ``Setting``), in the order of
/// `docs/configuration.md`. The loader (``SettingsLoader``), the file's schema, `serve`'s flags and the
/// reference tables are all made from this list.
public enum SettingsCatalog {
    /// Every setting, section by section.
    public static let all: [Setting] = server + upstream + upstreams + auth + cache + namespace + prices + promptCache + requestLog
        + semantic + admin

    /// The sections of the file, in order.
    public static var sections: [String] {
        var seen = Set<String>()
        return all.map(\.section).filter { seen.insert($0).inserted }
    }

    /// The file's schema: every key a configuration file may hold.
    static let schema: KeySchema = all.reduce(KeySchema.section([:])) { schema, setting in
        schema.adding(setting.key.split(separator: ".").map(String.init), setting.schema)
    }

    /// The setting a flag sets, by flag name.
    static let byFlag: [String: Setting] = Dictionary(all.compactMap { setting in setting.flag.map { ($0, setting) } }) { first, _ in first }

    // MARK: - server

    static let server: [Setting] = [
        .text("server.host", environment: "REPRISE_HOST", flag: "host", \.host, summary: "address to listen on; loopback unless told otherwise"),
        .integer("server.port", environment: "REPRISE_PORT", flag: "port", \.port, in: 0...65535, summary: "port; `0` picks a free one"),
        .size(
            "server.max_body_bytes", \.maximumBodyBytes, minimum: 1,
            summary: "larger request bodies on cached routes get 413 — at once, before the body is sent, when `Content-Length` declares it"),
        .size("server.max_response_bytes", \.maximumResponseBytes, minimum: 1, summary: "larger upstream answers on cached routes get 502"),
        .duration(
            "server.head_timeout", environment: "REPRISE_HEAD_TIMEOUT", \.headReadTimeout, allowsZero: false,
            summary: "a request's head (request line and headers) must arrive within this of its first byte — of the connection's opening, for the first request — or the connection is closed (slowloris)"),
        .duration(
            "server.body_timeout", environment: "REPRISE_BODY_TIMEOUT", \.bodyReadTimeout, allowsZero: false,
            summary: "a request's body must arrive within this of its head"),
        .duration(
            "server.idle_timeout", environment: "REPRISE_IDLE_TIMEOUT", \.idleTimeout, allowsZero: false,
            summary: "a kept-alive connection waiting longer for its next request is closed"),
        .optionalInteger(
            "server.max_connections", environment: "REPRISE_MAX_CONNECTIONS", \.maximumConnections, minimum: 1, defaultText: "from `ulimit -n`",
            summary: "client connections open at once; see below"),
        .duration(
            "server.shutdown_grace", environment: "REPRISE_SHUTDOWN_GRACE", \.shutdownGrace, allowsZero: true,
            summary: "on SIGTERM or SIGINT the gateway stops accepting connections and lets requests in progress (streams included) finish for at most this long, then cancels what is left and exits"),
        .choice("server.log_level", environment: "REPRISE_LOG_LEVEL", flag: "log-level", \.logLevel, summary: "how much the gateway logs, on standard error"),
    ]

    // MARK: - upstream

    static let upstream: [Setting] = [
        .text(
            "upstream.url", environment: "REPRISE_UPSTREAM", flag: "upstream", \.upstreamURL, valueKind: "URL",
            summary: "the OpenAI-compatible API's base URL, with or without a trailing `/v1`, when `upstreams` lists no OpenAI one",
            check: httpURLProblem),
        .duration("upstream.timeout", environment: "REPRISE_UPSTREAM_TIMEOUT", \.upstreamTimeout, allowsZero: false, summary: "an upstream call taking longer gets 504"),
        .duration(
            "upstream.connect_timeout", \.upstreamConnectTimeout, allowsZero: false,
            summary: "connecting taking longer gets 502 (a refused connection fails at once)"),
        .boolean(
            "upstream.stream_usage", \.asksForStreamUsage,
            summary: "when recording a chat or text completion stream for the cache, ask the upstream for its usage chunk (`stream_options.include_usage`), so the entry keeps its token counts; a client that did not ask never sees the chunk. Turn off for an OpenAI-compatible server that refuses `stream_options`"),
        .secret(
            "upstream.api_key_env", defaultVariable: nil,
            summary: "name of an environment variable holding the upstream key; when set, the gateway sends `Authorization: Bearer <that key>` upstream instead of the client's"
        ) { key, _, draft in draft.configuration.upstreamAPIKey = key },
        .text(
            "upstream.anthropic_url", environment: "REPRISE_ANTHROPIC_UPSTREAM", flag: "anthropic-upstream", \.anthropicUpstreamURL, valueKind: "URL",
            summary: "where Anthropic requests go: `/v1/messages`, Anthropic's other paths (`/v1/messages/count_tokens`, `/v1/messages/batches`, `/v1/complete`) and any request carrying `anthropic-version`, when `upstreams` lists no Anthropic one",
            check: httpURLProblem),
        .secret(
            "upstream.anthropic_api_key_env", defaultVariable: nil,
            summary: "like `api_key_env`, for Anthropic: the gateway sends `x-api-key: <that key>` to the Anthropic upstream instead of the client's credential"
        ) { key, _, draft in draft.configuration.anthropicAPIKey = key },
    ]

    /// What is wrong with `text` as an upstream's base URL, or `nil`.
    @Sendable static func httpURLProblem(_ text: String) -> String? {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            return "must be an http or https URL such as https://api.openai.com"
        }
        return nil
    }

    // MARK: - upstreams

    static let upstreams: [Setting] = [
        Setting(
            "upstreams", valueKind: "list", defaultText: "`[]`",
            summary: "upstreams routed by provider and model, in order; each entry's keys are below",
            schema: .list(FileValues.UpstreamEntry.schema)
        ) { input, draft in
            let entries = try input.decoded([FileValues.UpstreamEntry].self)
            draft.configuration.upstreams = try entries.enumerated().map { position, entry in
                var settings = UpstreamSettings(name: entry.name, provider: entry.provider.lowercased(), url: entry.url, models: entry.models ?? [])
                if let variable = entry.apiKeyEnv {
                    guard let key = draft.environment[variable] else {
                        throw ConfigurationError.invalidValue(
                            "upstreams[\(position)].api_key_env", in: input.origin.place,
                            reason: "names the environment variable '\(variable)', which is not set; export it or remove the key")
                    }
                    settings.apiKey = key
                }
                return settings
            }
        },
    ]

    // MARK: - auth

    static let auth: [Setting] = [
        Setting(
            "auth.client_keys", valueKind: "list", defaultText: "`[]`",
            summary: "keys clients must present (`Authorization: Bearer <key>`, `x-api-key` or `api-key`); empty accepts any client"
        ) { input, draft in draft.configuration.clientKeys.formUnion(try input.list()) },
        .secret(
            "auth.client_keys_env", defaultVariable: "REPRISE_CLIENT_KEYS", requiredWhenNamed: false,
            summary: "environment variable with more client keys, comma-separated (keeps them out of the file)"
        ) { keys, _, draft in
            draft.configuration.clientKeys.formUnion(keys.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        },
    ]

    // MARK: - namespace, prices, admin

    static let namespace: [Setting] = [
        .boolean("namespace.shared", \.sharesNamespaceAcrossCredentials, summary: "all credentials share one cache (single-tenant deployments only)"),
        .secret(
            "namespace.secret_env", defaultVariable: "REPRISE_SECRET", requiredWhenNamed: false,
            summary: "variable holding the secret credentials are hashed with (at least 16 bytes)"
        ) { value, _, draft in draft.configuration.namespaceSecret = try ServerSecret.fromConfiguredValue(value) },
        .text(
            "namespace.state_directory", environment: "REPRISE_STATE_DIR", flag: "state-dir", \.stateDirectory, valueKind: "path",
            defaultText: "`$XDG_STATE_HOME/reprise` or `~/.local/state/reprise`",
            summary: "where the generated secret is kept (`server-secret`, mode 0600)"),
    ]

    static let prices: [Setting] = [
        Setting(
            "prices.file", environment: "REPRISE_PRICES", valueKind: "path", defaultText: "none",
            summary: "a YAML or JSON file of prices, per million tokens, merged over the built-in table"
        ) { input, draft in
            draft.configuration.prices = draft.configuration.prices.merging(try PriceTable.load(contentsOf: try input.text()))
        },
    ]

    static let admin: [Setting] = [
        .secret(
            "admin.token_env", defaultVariable: "REPRISE_ADMIN_TOKEN", requiredWhenNamed: false,
            summary: "the variable holding the admin bearer token (at least 16 characters); unset disables `/admin/*`"
        ) { token, variable, draft in
            guard token.utf8.count >= 16 else {
                throw ConfigurationError.invalidValue(
                    variable, in: "the environment",
                    reason: "must be at least 16 characters long (openssl rand -hex 16 makes one); a short token can be guessed")
            }
            draft.configuration.adminToken = token
        },
    ]

    // MARK: - request_log

    static let requestLog: [Setting] = [
        .optionalText(
            "request_log.path", environment: "REPRISE_REQUEST_LOG", flag: "request-log", \.requestLogPath, valueKind: "path",
            defaultText: "none (no log)",
            summary: "JSONL file, one line per request; created with mode 0600, and an existing file is made owner-only, since it may hold prompts"),
        Setting(
            "request_log.max_bytes", valueKind: "size", defaultText: ByteSizeText.format(GatewayConfiguration().requestLogMaximumBytes ?? 0),
            summary: "roll over at this size (`0`: never) to `path.1`, `path.2`, …"
        ) { input, draft in
            let bytes = try input.parsed("a size such as 1048576, '512KiB' or '256MiB'", ByteSizeText.parse)
            draft.configuration.requestLogMaximumBytes = bytes == 0 ? nil : bytes
        },
        .integer("request_log.max_files", \.requestLogMaximumFiles, in: 0...10_000, summary: "rolled files kept"),
        .boolean("request_log.log_bodies", \.logsBodies, summary: "include request and answer bodies"),
    ]
}
