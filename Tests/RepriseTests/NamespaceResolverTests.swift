import Foundation
import Reprise
import Testing

@Suite struct NamespaceResolverTests {
    let resolver = NamespaceResolver(secret: Array("a server secret of enough length".utf8))
    let credential = "sk-proj-Zq81xYkT0aBcDeFgHiJkLmNoPqRsTuVw"

    func isHex(_ text: some StringProtocol) -> Bool {
        text.allSatisfy { "0123456789abcdef".contains($0) }
    }

    @Test func sameCredentialGivesTheSameNamespace() {
        #expect(resolver.namespace(credential: credential) == resolver.namespace(credential: credential))
        let again = NamespaceResolver(secret: Array("a server secret of enough length".utf8))
        #expect(again.namespace(credential: credential) == resolver.namespace(credential: credential))
    }

    @Test func differentCredentialsGiveDifferentNamespaces() {
        #expect(resolver.namespace(credential: credential) != resolver.namespace(credential: credential + "x"))
        #expect(resolver.namespace(credential: "sk-a") != resolver.namespace(credential: "sk-b"))
    }

    @Test func namespaceIs128BitsOfHexAndRevealsNothingOfTheCredential() {
        let namespace = resolver.namespace(credential: credential)
        #expect(namespace.count == 32)
        #expect(isHex(namespace))
        // No run of 6 characters of the credential appears in the namespace.
        let characters = Array(credential)
        for start in 0...(characters.count - 6) {
            #expect(!namespace.contains(String(characters[start..<start + 6])))
        }
    }

    @Test func anotherSecretGivesAnotherNamespace() {
        let other = NamespaceResolver(secret: Array("another secret, also long enough".utf8))
        #expect(other.namespace(credential: credential) != resolver.namespace(credential: credential))
    }

    @Test func narrowingAppendsAHashOfTheValue() throws {
        let base = resolver.namespace(credential: credential)
        let narrowed = resolver.namespace(credential: credential, narrowing: "end-user-42")
        #expect(narrowed.hasPrefix(base + "."))
        let suffix = narrowed.dropFirst(base.count + 1)
        #expect(suffix.count == 16)
        #expect(isHex(suffix))
        #expect(!narrowed.contains("end-user-42"))
        #expect(resolver.namespace(credential: credential, narrowing: "end-user-42") == narrowed)
        #expect(resolver.namespace(credential: credential, narrowing: "end-user-43") != narrowed)
    }

    @Test func narrowingNeverReachesAnotherCredentialsNamespace() {
        let mine = resolver.namespace(credential: "sk-mine", narrowing: "shared-team")
        let theirs = resolver.namespace(credential: "sk-theirs", narrowing: "shared-team")
        #expect(mine != theirs)
        #expect(!mine.hasPrefix(resolver.namespace(credential: "sk-theirs")))
    }

    @Test func sharedModeGivesEveryCredentialOneNamespace() {
        let shared = NamespaceResolver(secret: Array("a server secret of enough length".utf8), sharesAcrossCredentials: true)
        #expect(shared.namespace(credential: "sk-a") == "shared")
        #expect(shared.namespace(credential: "sk-b") == "shared")
        #expect(shared.namespace(credential: nil) == "shared")
        let narrowed = shared.namespace(credential: "sk-a", narrowing: "user-1")
        #expect(narrowed.hasPrefix("shared."))
        #expect(narrowed == shared.namespace(credential: "sk-b", narrowing: "user-1"))
    }

    @Test func requestWithoutACredentialIsAnonymous() {
        #expect(resolver.namespace(credential: nil) == "anonymous")
        #expect(resolver.namespace(credential: "") == "anonymous")
        #expect(resolver.namespace(credential: nil, narrowing: "x").hasPrefix("anonymous."))
    }

    // MARK: - Server secret

    func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("reprise-secret-\(UUID().uuidString)").path
    }

    @Test func secretFileIsCreatedOnceWithOwnerOnlyPermissions() throws {
        let directory = (temporaryDirectory() as NSString).appendingPathComponent("state")
        let first = try ServerSecret.loadOrCreate(in: directory)
        let path = (directory as NSString).appendingPathComponent(ServerSecret.fileName)

        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let permissions = try #require(attributes[.posixPermissions] as? NSNumber)
        #expect(permissions.intValue & 0o777 == 0o600)
        #expect(first.count == 64)
        #expect(isHex(String(decoding: first, as: UTF8.self)))

        let modified = try #require(attributes[.modificationDate] as? Date)
        let second = try ServerSecret.loadOrCreate(in: directory)
        #expect(second == first)
        let after = try FileManager.default.attributesOfItem(atPath: path)
        #expect(after[.modificationDate] as? Date == modified, "the file is read, not rewritten")
    }

    /// Gateways started at one instant on a fresh state directory must agree, or replicas never share entries.
    @Test func gatewaysStartingTogetherAgreeOnOneSecret() async throws {
        for _ in 0..<20 {
            let directory = temporaryDirectory()
            let secrets = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                for _ in 0..<8 { group.addTask { try ServerSecret.loadOrCreate(in: directory) } }
                return try await group.reduce(into: [[UInt8]]()) { $0.append($1) }
            }
            #expect(Set(secrets).count == 1)
            let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(files == [ServerSecret.fileName], "no temporary file is left behind")
        }
    }

    @Test func eachNewStateDirectoryGetsItsOwnSecret() throws {
        #expect(try ServerSecret.loadOrCreate(in: temporaryDirectory()) != ServerSecret.loadOrCreate(in: temporaryDirectory()))
    }

    @Test func tooShortSecretFileIsRejected() throws {
        let directory = temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent(ServerSecret.fileName)
        try "short".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: ConfigurationError.self) { try ServerSecret.loadOrCreate(in: directory) }
        #expect(error?.message.contains(path) == true)
    }

    @Test func configuredSecretMustBeAtLeastSixteenBytes() throws {
        #expect(throws: ConfigurationError.self) { try ServerSecret.fromConfiguredValue("too-short") }
        #expect(throws: ConfigurationError.self) { try ServerSecret.fromConfiguredValue("   fifteen-bytes  ") }
        #expect(try ServerSecret.fromConfiguredValue(" sixteen-bytes-ok ") == Array("sixteen-bytes-ok".utf8))
    }
}
