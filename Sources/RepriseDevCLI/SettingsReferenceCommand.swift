import ArgumentParser
import Foundation
import RepriseServer

/// `reprise-dev settings-reference`: rewrites the settings tables of the configuration reference from the
/// settings' declarations (``RepriseServer/SettingsCatalog``), so the document never drifts from the code.
struct SettingsReferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings-reference",
        abstract: "Rewrite the settings tables of docs/configuration.md from the settings' declarations.",
        discussion: "Each table sits between '<!-- settings: <section> -->' and '<!-- /settings -->'; the text around them is left as it is.")

    @Argument(help: "The configuration reference to rewrite.") var path = "docs/configuration.md"
    @Flag(help: "Only check: exit with an error when a table differs from the declarations.") var check = false

    func run() throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("Cannot read '\(path)'.") }
        let updated = SettingsReference.updating(text)
        guard updated != text else {
            print("\(path): the tables match the declarations")
            return
        }
        if check { throw ValidationError("\(path): the settings tables differ from the declarations; run reprise-dev settings-reference \(path)") }
        try updated.write(toFile: path, atomically: true, encoding: .utf8)
        print("\(path): tables rewritten")
    }
}
