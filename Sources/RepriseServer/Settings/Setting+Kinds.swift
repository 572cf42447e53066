import Reprise
import RepriseGateway

/// The kinds of value most settings hold, each read the same way from the file, the environment and a flag,
/// checked, and written to one property of the configuration. Each builder shows the property's default.
extension Setting {
    typealias Path<Value> = any WritableKeyPath<GatewayConfiguration, Value> & Sendable

    /// The configuration's default for `path`, as the reference shows it.
    static func defaultValue<Value>(_ path: Path<Value>) -> Value { GatewayConfiguration()[keyPath: path] }

    /// A whole number within `range`.
    static func integer(
        _ key: String, environment: String? = nil, flag: String? = nil, _ path: Path<Int>, in range: ClosedRange<Int>, summary: String
    ) -> Setting {
        Setting(key, environment: environment, flag: flag, valueKind: "integer", defaultText: "\(defaultValue(path))", summary: summary) { input, draft in
            let value = try input.parsed("a whole number", { Int($0) })
            guard range.contains(value) else { throw input.invalid("must be between \(range.lowerBound) and \(range.upperBound), got \(value)") }
            draft.configuration[keyPath: path] = value
        }
    }

    /// A whole number of at least `minimum`, where the default (`nil`) is worked out at start-up.
    static func optionalInteger(
        _ key: String, environment: String? = nil, flag: String? = nil, _ path: Path<Int?>, minimum: Int, defaultText: String, summary: String
    ) -> Setting {
        Setting(key, environment: environment, flag: flag, valueKind: "integer", defaultText: defaultText, summary: summary) { input, draft in
            let value = try input.parsed("a whole number", { Int($0) })
            guard value >= minimum else { throw input.invalid("must be at least \(minimum), got \(value)") }
            draft.configuration[keyPath: path] = value
        }
    }

    /// A duration: seconds (`300`) or with units (`500ms`, `90s`, `5m`, `1h30m`, `7d`). Zero only when `allowsZero`.
    static func duration(
        _ key: String, environment: String? = nil, flag: String? = nil, _ path: Path<Duration>, allowsZero: Bool, offWhenZero: Bool = false,
        summary: String
    ) -> Setting {
        let value = defaultValue(path)
        let text = value == .zero ? (offWhenZero ? "`0` (off)" : "0") : DurationText.format(value)
        return Setting(key, environment: environment, flag: flag, valueKind: "duration", defaultText: text, summary: summary) { input, draft in
            let duration = try input.parsed("a duration such as 300, '90s', '5m', '24h' or '1h30m'", DurationText.parse)
            guard duration > .zero || (allowsZero && duration == .zero) else { throw input.invalid("must be positive") }
            draft.configuration[keyPath: path] = duration
        }
    }

    /// A size in bytes: `1048576`, or with units (`512KiB`, `256MiB`, `1GiB`; `KB`, `MB`, `GB` are powers of 1000).
    static func size(
        _ key: String, environment: String? = nil, flag: String? = nil, _ path: Path<Int>, minimum: Int, summary: String
    ) -> Setting {
        Setting(
            key, environment: environment, flag: flag, valueKind: "size", defaultText: ByteSizeText.format(defaultValue(path)), summary: summary
        ) { input, draft in
            let bytes = try input.parsed("a size such as 1048576, '512KiB' or '256MiB'", ByteSizeText.parse)
            guard bytes >= minimum else {
                throw input.invalid(minimum == 1 ? "must be positive" : "must be at least \(ByteSizeText.format(minimum))")
            }
            draft.configuration[keyPath: path] = bytes
        }
    }

    /// `true` or `false` (also `yes`/`no`, `on`/`off`, `1`/`0`); its flag, when it has one, takes no value
    /// and sets it.
    static func boolean(
        _ key: String, environment: String? = nil, flag: String? = nil, _ path: Path<Bool>, summary: String
    ) -> Setting {
        Setting(
            key, environment: environment, flag: flag, valueKind: "boolean", defaultText: "\(defaultValue(path))", summary: summary,
            isSwitch: flag != nil
        ) { input, draft in
            draft.configuration[keyPath: path] = try input.parsed("true or false", Setting.boolean(from:))
        }
    }

    /// One of a fixed set of names, such as a log level.
    static func choice<Value: RawRepresentable & CaseIterable & Sendable>(
        _ key: String, environment: String? = nil, flag: String? = nil, _ path: Path<Value>, summary: String
    ) -> Setting where Value.RawValue == String {
        let names = Value.allCases.map(\.rawValue)
        return Setting(
            key, environment: environment, flag: flag, valueKind: names.joined(separator: ", "), defaultText: defaultValue(path).rawValue,
            summary: summary
        ) { input, draft in
            draft.configuration[keyPath: path] = try input.parsed("one of \(names.joined(separator: ", "))") { Value(rawValue: $0.lowercased()) }
        }
    }

    /// Text, checked by `check` (which returns what is wrong, or `nil`).
    static func text(
        _ key: String, environment: String? = nil, flag: String? = nil, _ path: Path<String>, valueKind: String = "text",
        defaultText: String? = nil, summary: String, check: @escaping @Sendable (String) -> String? = { _ in nil }
    ) -> Setting {
        Setting(
            key, environment: environment, flag: flag, valueKind: valueKind, defaultText: defaultText ?? defaultValue(path), summary: summary
        ) { input, draft in
            let text = try input.text()
            if let problem = check(text) { throw input.invalid(problem + ", got '\(text)'") }
            draft.configuration[keyPath: path] = text
        }
    }

    /// Text with no default.
    static func optionalText(
        _ key: String, environment: String? = nil, flag: String? = nil, _ path: Path<String?>, valueKind: String = "text",
        defaultText: String, summary: String
    ) -> Setting {
        Setting(key, environment: environment, flag: flag, valueKind: valueKind, defaultText: defaultText, summary: summary) { input, draft in
            draft.configuration[keyPath: path] = try input.text()
        }
    }

    /// A fraction from 0 to 1.
    static func fraction<Value: BinaryFloatingPoint & LosslessStringConvertible & Sendable>(
        _ key: String, environment: String? = nil, _ path: Path<Value>, summary: String
    ) -> Setting {
        Setting(key, environment: environment, valueKind: "number", defaultText: "\(defaultValue(path))", summary: summary) { input, draft in
            let value = try input.parsed("a number from 0 to 1", { Value($0) })
            guard (0...1).contains(value) else { throw input.invalid("must be from 0 to 1, got \(value)") }
            draft.configuration[keyPath: path] = value
        }
    }

    /// The name of an environment variable holding a secret, so the file never has to. Read when named (and
    /// then, when `requiredWhenNamed`, it must be set), else from `defaultVariable` when that is set.
    static func secret(
        _ key: String, defaultVariable: String?, requiredWhenNamed: Bool = true, summary: String,
        apply: @escaping @Sendable (_ value: String, _ variable: String, inout SettingsDraft) throws -> Void
    ) -> Setting {
        var fallback: (@Sendable (inout SettingsDraft) throws -> Void)?
        if let defaultVariable {
            fallback = { draft in
                if let value = draft.environment[defaultVariable] { try apply(value, defaultVariable, &draft) }
            }
        }
        return Setting(key, valueKind: "variable name", defaultText: defaultVariable ?? "none", summary: summary, fallback: fallback) { input, draft in
            let variable = try input.text()
            if requiredWhenNamed {
                try apply(try draft.required(variable, for: input), variable, &draft)
            } else if let value = draft.environment[variable] {
                try apply(value, variable, &draft)
            }
        }
    }

    static func boolean(from text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "true", "yes", "on": true
        case "0", "false", "no", "off": false
        default: nil
        }
    }
}
