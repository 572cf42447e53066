import Reprise
import RepriseGateway
import RepriseSemantic
import Yams

/// Reads the settings of `reprise serve`: the defaults, then a configuration file, then the environment,
/// then command-line flags, each overriding the one before, every value read and checked by its
/// declaration in ``SettingsCatalog``.
public enum SettingsLoader {
    /// The configuration the sources describe.
    /// - Parameters:
    ///   - path: the YAML or JSON file (`--config`); `REPRISE_CONFIG` when `nil`.
    ///   - environment: where `REPRISE_*` variables and the secrets files name are read.
    ///   - flags: `serve`'s setting flags, as typed: `["--port", "0", "--shadow", "--store=memory"]`.
    /// - Throws: ``Reprise/ConfigurationError`` naming the file and line, variable or flag at fault and what
    ///   to do about it.
    public static func load(path: String? = nil, environment: ProcessEnvironment = .current, flags: [String] = []) throws -> GatewayConfiguration {
        var draft = SettingsDraft(environment: environment)
        var given = Set<String>()
        if let path = path ?? environment["REPRISE_CONFIG"] {
            try readFile(at: path, into: &draft, given: &given)
        }
        for setting in SettingsCatalog.all {
            guard let variable = setting.environment, let text = environment[variable] else { continue }
            try setting.read(SettingInput(setting: setting, origin: .environment(variable), node: Node(text)), &draft)
            given.insert(setting.key)
        }
        for (setting, flag, text) in try parse(flags: flags) {
            try setting.read(SettingInput(setting: setting, origin: .flag(flag), node: Node(text)), &draft)
            given.insert(setting.key)
        }
        for setting in SettingsCatalog.all where !given.contains(setting.key) {
            try setting.fallback?(&draft)
        }
        return try SettingsCatalog.assemble(draft)
    }

    /// Reads the file at `path`: refuses a key no setting declares, with its line and the keys allowed there;
    /// then reads each setting's value.
    static func readFile(at path: String, into draft: inout SettingsDraft, given: inout Set<String>) throws {
        let text = try ConfigurationFileReader.text(at: path)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError.invalidFile(path, reason: "it is not valid YAML or JSON (\(error))")
        }
        // A file with nothing but comments (a template with every line commented out) sets nothing.
        guard let root else { return }
        guard case .mapping = root else {
            throw ConfigurationError.invalidFile(path, reason: "it must be a mapping of sections such as 'server:' and 'cache:'")
        }
        if let unknown = SettingsCatalog.schema.firstUnknownKey(in: root) {
            throw ConfigurationError.invalidFile(
                path, reason: "unknown key '\(unknown.path)' on line \(unknown.line); allowed here: \(unknown.allowed.joined(separator: ", "))")
        }
        for setting in SettingsCatalog.all {
            guard let node = value(at: setting.key.split(separator: ".").map(String.init), in: root) else { continue }
            // `key:` with nothing after it (or `~`, `null`) leaves the setting as it was.
            if case .scalar(let scalar) = node, scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) { continue }
            let line = (node.mark?.line ?? 0)
            try setting.read(SettingInput(setting: setting, origin: .file(path: path, line: line), node: node), &draft)
            given.insert(setting.key)
        }
    }

    /// The node at `path` of nested mappings, or `nil`.
    private static func value(at path: [String], in node: Node) -> Node? {
        guard let first = path.first else { return node }
        guard case .mapping(let mapping) = node, let child = mapping[Node(first)] else { return nil }
        return value(at: Array(path.dropFirst()), in: child)
    }

    /// `serve`'s setting flags, each with its value: `--name value`, `--name=value`, or `--name` alone for a
    /// switch (such as `--shadow`).
    /// - Throws: ``Reprise/ConfigurationError`` for an unknown flag (naming the closest known one) or a flag
    ///   without its value.
    static func parse(flags: [String]) throws -> [(Setting, String, String)] {
        var parsed: [(Setting, String, String)] = []
        var remaining = flags[...]
        while let argument = remaining.popFirst() {
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw ConfigurationError.invalidValue(argument, in: "the command line", reason: "is not a flag of reprise serve; see reprise serve --help")
            }
            let body = argument.dropFirst(2)
            let name = String(body.prefix { $0 != "=" })
            guard let setting = SettingsCatalog.byFlag[name] else {
                let suggestion = SettingsCatalog.byFlag.keys.min { editDistance($0, name) < editDistance($1, name) }
                let hint = suggestion.map { editDistance($0, name) <= 3 ? "; did you mean --\($0)?" : "" } ?? ""
                throw ConfigurationError.invalidValue("--" + name, in: "the command line", reason: "is not a flag of reprise serve\(hint) (reprise serve --help lists them)")
            }
            if let equals = body.firstIndex(of: "=") {
                parsed.append((setting, name, String(body[body.index(after: equals)...])))
            } else if setting.isSwitch {
                parsed.append((setting, name, "true"))
            } else {
                guard let value = remaining.popFirst() else {
                    throw ConfigurationError.invalidValue("--" + name, in: "the command line", reason: "needs a value (\(setting.valueKind))")
                }
                parsed.append((setting, name, value))
            }
        }
        return parsed
    }

    /// How many single-character edits turn `a` into `b`.
    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }
}

extension GatewayConfiguration {
    /// Loads the configuration `reprise serve` would run with: see ``SettingsLoader/load(path:environment:flags:)``.
    public static func load(path: String? = nil, environment: ProcessEnvironment = .current, flags: [String] = []) throws -> GatewayConfiguration {
        try SettingsLoader.load(path: path, environment: environment, flags: flags)
    }
}
