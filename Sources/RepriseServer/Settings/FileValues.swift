import Reprise
import Yams

/// The shapes of the settings whose values are lists or mappings of their own (the upstreams, the rules, the
/// presets, the prompt-cache minimums), decoded from their part of the file.
enum FileValues {
    /// One entry of `upstreams`.
    struct UpstreamEntry: Decodable, Sendable, KeyedValue {
        var name: String
        var provider: String
        var url: String
        var models: [String]?
        var apiKeyEnv: String?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, provider, url, models
            case apiKeyEnv = "api_key_env"
        }
    }

    struct MinimumTokens: Decodable, Sendable, KeyedValue {
        var model: String
        var tokens: Int
        enum CodingKeys: String, CodingKey, CaseIterable { case model, tokens }
    }

    struct Rule: Decodable, Sendable, KeyedValue {
        var name: String?
        var route: String?
        var model: String?
        var header: String?
        var headerValue: String?
        var prompt: String?
        var ttl: DurationValue?
        var bypass: Bool?
        var preset: String?
        var semantic: SemanticPreferenceValue?
        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, route, model, header, prompt, ttl, bypass, preset, semantic
            case headerValue = "header_value"
        }
    }

    /// `off`, `on` (or `false`, `true`), or a similarity threshold from 0 to 1.
    struct SemanticPreferenceValue: Decodable, Sendable {
        var preference: SemanticPreference

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let text: String
            if let flag = try? container.decode(Bool.self) {
                text = flag ? "on" : "off"
            } else if let number = try? container.decode(Double.self) {
                text = String(number)
            } else {
                text = (try? container.decode(String.self)) ?? ""
            }
            guard let preference = SemanticPreference(text: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected off, on, or a similarity threshold from 0 to 1 such as 0.97")
            }
            self.preference = preference
        }
    }

    /// A preset's value: a duration, or `bypass`.
    enum RuleAction: Decodable, Sendable {
        case timeToLive(Duration)
        case bypass

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self), text.lowercased() == "bypass" {
                self = .bypass
            } else {
                self = .timeToLive(try container.decode(DurationValue.self).duration)
            }
        }
    }

    /// `cache.volatility.*` as written; missing values take the detector's defaults.
    struct Volatility: Sendable {
        var enabled: Bool?
        var timeAction: VolatilityDetector.Action?
        var timeTimeToLive: Duration?
        var timeWords: [String]?
        var detectsDates: Bool?
        var personalAction: VolatilityDetector.Action?
        var personalTimeToLive: Duration?
        var personalWords: [String]?
        var detectsEmails: Bool?
        var detectsPhoneNumbers: Bool?
    }
}

/// A duration written as seconds (`300`) or with units (`5m`, `1h30m`, `500ms`).
struct DurationValue: Decodable, Sendable {
    var duration: Duration

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Int.self), seconds >= 0 {
            duration = .seconds(seconds)
        } else if let text = try? container.decode(String.self), let parsed = DurationText.parse(text) {
            duration = parsed
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a duration such as 300, '90s', '5m', '24h' or '1h30m'")
        }
    }
}
