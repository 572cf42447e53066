import Foundation

/// The settings as people read them: the tables of `docs/configuration.md` and the flags of
/// `reprise serve --help`, both made from ``SettingsCatalog``.
public enum SettingsReference {
    /// The first line of every generated table; `docs/configuration.md` marks where each table goes with
    /// `<!-- settings: <section> -->` and `<!-- /settings -->`.
    static let header = "| key | default | env | flag | meaning |\n| --- | --- | --- | --- | --- |"

    /// The Markdown table of `section`'s settings.
    public static func table(section: String) -> String {
        let rows = SettingsCatalog.all.filter { $0.section == section }.map { setting in
            // Values in code type; words and phrases (none, "from `ulimit -n`") as they are.
            let plain = setting.defaultText.isEmpty || setting.defaultText == "none" || setting.defaultText.hasPrefix("`")
                || setting.defaultText.contains(" ")
            let defaultText = plain ? setting.defaultText : "`\(setting.defaultText)`"
            let environment = setting.environment.map { "`\($0)`" } ?? ""
            let flag = setting.flag.map { "`--\($0)`" } ?? ""
            return "| `\(setting.key == section ? setting.key : setting.keyInSection)` | \(defaultText) | \(environment) | \(flag) | \(setting.summary) |"
        }
        return ([header] + rows).joined(separator: "\n")
    }

    /// `text` (the configuration reference) with every marked table replaced by the one the catalog makes.
    public static func updating(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "<!-- settings: ") {
            guard let nameEnd = rest[start.upperBound...].range(of: " -->"),
                let end = rest[nameEnd.upperBound...].range(of: "<!-- /settings -->")
            else { break }
            let section = String(rest[start.upperBound..<nameEnd.lowerBound])
            result += rest[..<nameEnd.upperBound] + "\n" + table(section: section) + "\n"
            result += rest[end.lowerBound..<end.upperBound]
            rest = rest[end.upperBound...]
        }
        return result + rest
    }

    /// The sections whose tables `text` marks.
    public static func markedSections(in text: String) -> [String] {
        var sections: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "<!-- settings: "), let end = rest[start.upperBound...].range(of: " -->") {
            sections.append(String(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return sections
    }

    /// The flags of `reprise serve`, for its help: each with its value, what it sets, and where else it can be set.
    public static var flagHelp: String {
        SettingsCatalog.all.compactMap { setting -> String? in
            guard let flag = setting.flag else { return nil }
            let usage = setting.isSwitch ? "--\(flag)" : "--\(flag) <\(setting.valueKind.lowercased())>"
            let also = ([setting.key] + (setting.environment.map { [$0] } ?? [])).joined(separator: ", ")
            return "  \(usage)\n      \(plain(setting.summary)) (default \(plain(setting.defaultText)); also \(also))"
        }.joined(separator: "\n")
    }

    /// `markdown` as plain text: no backquotes, and a link's text without its target.
    static func plain(_ markdown: String) -> String {
        var text = markdown.replacingOccurrences(of: "`", with: "")
        while let open = text.range(of: "]("), let close = text[open.upperBound...].firstIndex(of: ")"),
            let start = text[..<open.lowerBound].lastIndex(of: "[")
        {
            let label = text[text.index(after: start)..<open.lowerBound]
            text.replaceSubrange(start...close, with: label)
        }
        return text
    }
}
