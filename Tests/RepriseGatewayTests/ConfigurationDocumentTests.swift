import Foundation
import Testing

@testable import RepriseGateway

/// `docs/configuration.md` and the code that reads settings agree: every key a configuration file may hold
/// and every environment variable the loader reads is documented, and every variable documented is read.
@Suite struct ConfigurationDocumentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Every value key path the schema allows, as `section.key` or `section.key.child` (a section is
    /// documented through its keys).
    static func keyPaths(_ schema: KeySchema, prefix: String = "") -> [String] {
        switch schema {
        case .leaf, .map: return prefix.isEmpty ? [] : [prefix]
        case .list(let item): return keyPaths(item, prefix: prefix)
        case .section(let keys):
            return keys.flatMap { key, child in keyPaths(child, prefix: prefix.isEmpty ? key : prefix + "." + key) }
        }
    }

    /// Environment variable names in `text`.
    static func variables(in text: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: "REPRISE_[A-Z_]+[A-Z]")
        let range = NSRange(text.startIndex..., in: text)
        return Set(pattern.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } })
    }

    @Test func everyFileKeyIsDocumented() throws {
        let document = try Self.text("docs/configuration.md")
        let paths = Self.keyPaths(ConfigurationFile.schema)
        #expect(paths.count > 80, "the schema lists the keys")
        // Each key is documented by its last name in backquotes (`name`, `parent.name`, `.name`) or written
        // as `name: value`, in a table or the text around it.
        let missing = paths.filter { path in
            let name = path.split(separator: ".").last.map(String.init) ?? path
            return !["`\(name)`", ".\(name)`", "`\(name):", " \(name): "].contains { document.contains($0) }
        }
        #expect(missing.isEmpty, "keys the configuration file accepts but docs/configuration.md does not mention: \(missing.sorted())")
    }

    @Test func theEnvironmentVariablesReadAreTheOnesDocumented() throws {
        let directory = Self.root.appendingPathComponent("Sources/RepriseGateway/Configuration")
        var read = Set<String>()
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) where file.hasSuffix(".swift") {
            read.formUnion(Self.variables(in: try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)))
        }
        #expect(read.count > 20, "the loader reads its variables by name")
        let documented = Self.variables(in: try Self.text("docs/configuration.md"))
        #expect(read.subtracting(documented).isEmpty, "read but not documented: \(read.subtracting(documented).sorted())")
        #expect(documented.subtracting(read).isEmpty, "documented but never read: \(documented.subtracting(read).sorted())")
    }
}
