import Foundation
import Reprise
import Testing

@testable import RepriseServer

/// `docs/configuration.md` and the settings' declarations agree: each section's table is the one the
/// declarations make (`reprise-dev settings-reference docs/configuration.md` rewrites them), every variable
/// the document names is one a setting reads, and the declarations themselves are consistent.
@Suite struct ConfigurationDocumentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func document() throws -> String {
        try String(contentsOf: root.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
    }

    @Test func everySectionHasTheTableItsDeclarationsMake() throws {
        let document = try Self.document()
        #expect(SettingsReference.markedSections(in: document) == SettingsCatalog.sections, "every section's table, in the catalog's order")
        let regenerated = SettingsReference.updating(document)
        let stale = zip(document.split(separator: "\n", omittingEmptySubsequences: false), regenerated.split(separator: "\n", omittingEmptySubsequences: false))
            .filter { $0 != $1 }.map { "docs: \($0)\ncode: \($1)" }
        #expect(regenerated == document, "run reprise-dev settings-reference docs/configuration.md; first differences:\n\(stale.prefix(3).joined(separator: "\n"))")
    }

    /// Environment variable names in `text`.
    static func variables(in text: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: "REPRISE_[A-Z_]+[A-Z]")
        let range = NSRange(text.startIndex..., in: text)
        return Set(pattern.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }

    @Test func theVariablesDocumentedAreTheOnesRead() throws {
        let secretDefaults = SettingsCatalog.all.filter { $0.valueKind == "variable name" }.map(\.defaultText).filter { $0.hasPrefix("REPRISE_") }
        let read = Set(SettingsCatalog.all.compactMap(\.environment) + secretDefaults + ["REPRISE_CONFIG"])
        #expect(read.count > 25)
        let documented = Self.variables(in: try Self.document())
        #expect(read.subtracting(documented).isEmpty, "read but not documented: \(read.subtracting(documented).sorted())")
        #expect(documented.subtracting(read).isEmpty, "documented but never read: \(documented.subtracting(read).sorted())")
    }

    @Test func keysVariablesAndFlagsAreEachDeclaredOnce() {
        for (name, values) in [
            ("key", SettingsCatalog.all.map(\.key)), ("variable", SettingsCatalog.all.compactMap(\.environment)),
            ("flag", SettingsCatalog.all.compactMap(\.flag)),
        ] {
            let repeated = Dictionary(grouping: values) { $0 }.filter { $1.count > 1 }.keys.sorted()
            #expect(repeated.isEmpty, "each \(name) is declared once: \(repeated)")
        }
        #expect(SettingsCatalog.all.count > 80, "the catalog lists the settings")
        #expect(SettingsCatalog.all.allSatisfy { !$0.summary.isEmpty && !$0.valueKind.isEmpty })
    }

    @Test func theKeysOfListEntriesAreDocumented() throws {
        let document = try Self.document()
        for schema in [FileValues.UpstreamEntry.schema, FileValues.Rule.schema, FileValues.MinimumTokens.schema] {
            guard case .section(let keys) = schema else {
                Issue.record("a list entry's schema is a section of keys")
                continue
            }
            let missing = keys.keys.filter { !document.contains("`\($0)`") && !document.contains("\($0):") }
            #expect(missing.isEmpty, "keys of list entries that docs/configuration.md does not mention: \(missing.sorted())")
        }
    }

    @Test func theServeHelpListsEveryFlag() {
        let help = SettingsReference.flagHelp
        for flag in SettingsCatalog.all.compactMap(\.flag) {
            #expect(help.contains("--\(flag)"), "--\(flag) in reprise serve --help")
        }
        #expect(!help.contains("`") && !help.contains("]("), "plain text, no Markdown")
    }
}
