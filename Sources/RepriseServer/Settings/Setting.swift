import Foundation
import Reprise
import RepriseGateway
import Yams

/// One setting of `reprise serve`, declared once: its key in the configuration file, its environment
/// variable and flag (where it has them), its default, how its value is read and checked, and a one-line
/// description. The file's schema, the environment reading, `serve`'s flags and the tables of
/// `docs/configuration.md` all come from the declarations in ``SettingsCatalog``.
///
/// The default lives with the typed property of ``RepriseGateway/GatewayConfiguration`` the setting writes
/// (so a library user of the gateway gets it too); the declaration shows it, read from a fresh
/// configuration, and never restates it.
public struct Setting: Sendable {
    /// The key in the configuration file, dotted: `server.port`, `semantic.remote.url`.
    public let key: String
    /// The environment variable, such as `REPRISE_PORT`.
    public let environment: String?
    /// The flag of `reprise serve`, without its dashes, such as `port`.
    public let flag: String?
    /// What the value looks like, for the reference: `integer`, `duration`, `size`, `URL`…
    public let valueKind: String
    /// The default, as the reference shows it.
    public let defaultText: String
    /// One line (a sentence, perhaps with clauses) on what the setting does.
    public let summary: String
    /// Whether the flag takes no value (`--shadow`): it sets the setting to true.
    let isSwitch: Bool
    /// The keys of the value itself, for settings whose value is a list or a mapping of their own.
    let schema: KeySchema
    /// Reads `input` into the settings being assembled, or throws a ``ConfigurationError`` naming it.
    let read: @Sendable (SettingInput, inout SettingsDraft) throws -> Void
    /// What happens when no source gives the setting, beyond keeping the default (a secret's default variable).
    let fallback: (@Sendable (inout SettingsDraft) throws -> Void)?

    init(
        _ key: String, environment: String? = nil, flag: String? = nil, valueKind: String, defaultText: String, summary: String,
        isSwitch: Bool = false, schema: KeySchema = .leaf, fallback: (@Sendable (inout SettingsDraft) throws -> Void)? = nil,
        read: @escaping @Sendable (SettingInput, inout SettingsDraft) throws -> Void
    ) {
        self.fallback = fallback
        self.key = key
        self.environment = environment
        self.flag = flag
        self.valueKind = valueKind
        self.defaultText = defaultText
        self.summary = summary
        self.isSwitch = isSwitch
        self.schema = schema
        self.read = read
    }

    /// The file section the setting belongs to: `server` for `server.port`.
    public var section: String { String(key.prefix { $0 != "." }) }

    /// The key within its section: `port` for `server.port`, `remote.url` for `semantic.remote.url`.
    public var keyInSection: String {
        guard let dot = key.firstIndex(of: ".") else { return key }
        return String(key[key.index(after: dot)...])
    }
}

/// Where a value was given, so that an error names it exactly.
public enum SettingOrigin: Sendable, Hashable {
    /// The configuration file at this path, on this line.
    case file(path: String, line: Int)
    /// This environment variable.
    case environment(String)
    /// This flag of `reprise serve`.
    case flag(String)

    /// How an error names the value: the key for the file, the variable or the flag otherwise.
    func name(of setting: Setting) -> String {
        switch self {
        case .file: setting.key
        case .environment(let variable): variable
        case .flag(let flag): "--" + flag
        }
    }

    /// Where, for an error: the file and line, `the environment` or `the command line`.
    var place: String {
        switch self {
        case .file(let path, let line): "\(path) (line \(line))"
        case .environment: "the environment"
        case .flag: "the command line"
        }
    }
}

/// A value given for a setting: text from the environment or a flag, or a node of the YAML file.
struct SettingInput {
    /// The setting the value is for.
    let setting: Setting
    /// Where it came from.
    let origin: SettingOrigin
    /// The value as a YAML node (for the file) or a scalar holding the text (environment and flags).
    let node: Node

    /// An error about this value: "Configuration value 'server.port' in reprise.yaml (line 3) must be …".
    func invalid(_ reason: String) -> ConfigurationError {
        .invalidValue(origin.name(of: setting), in: origin.place, reason: reason)
    }

    /// The value's text; a list or mapping where one value belongs is refused.
    func text() throws -> String {
        guard case .scalar(let scalar) = node else { throw invalid("must be a single value, not a list or mapping") }
        return scalar.string
    }

    /// The value read by `parse`, or an error quoting it and saying what was `expected`.
    func parsed<T>(_ expected: String, _ parse: (String) -> T?) throws -> T {
        let text = try text()
        guard let value = parse(text) else { throw invalid("must be \(expected), got '\(text)'") }
        return value
    }

    /// A list of texts: a YAML sequence, or comma-separated text (environment, flags, or a single string).
    func list() throws -> [String] {
        switch node {
        case .sequence(let sequence):
            return try sequence.map { item in
                guard case .scalar(let scalar) = item else { throw invalid("must be a list of texts") }
                return scalar.string
            }
        case .scalar(let scalar):
            return scalar.string.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        case .mapping, .alias:
            throw invalid("must be a list of texts")
        }
    }

    /// The value decoded as a `T` (a list of rules, a mapping of presets); an error names the part at fault,
    /// such as `cache.rules[0].semantic`, and what was expected there.
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try YAMLDecoder().decode(type, from: node)
        } catch let error as DecodingError {
            let (codingPath, reason): ([any CodingKey], String) = switch error {
            case .typeMismatch(let type, let context): (context.codingPath, "should be \(type)")
            case .valueNotFound(_, let context): (context.codingPath, "is missing a value")
            case .keyNotFound(let key, let context): (context.codingPath + [key], "is required")
            case .dataCorrupted(let context): (context.codingPath, context.debugDescription)
            @unknown default: ([], "\(error)")
            }
            let part = codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
            throw ConfigurationError.invalidValue(origin.name(of: setting) + part, in: origin.place, reason: reason)
        } catch {
            throw invalid("cannot be read: \(error)")
        }
    }
}
