import Crypto
import Foundation

/// The gateway's secret for hashing credentials into namespaces.
///
/// Taken from configuration when given (hex or any text of at least 16 bytes); otherwise read from a
/// file in the state directory, which is created with 32 random bytes and mode 0600 on first start.
/// Keeping the secret stable keeps namespaces, and so a persistent or shared cache, stable across
/// restarts and replicas.
public enum ServerSecret {
    /// The file name inside the state directory.
    public static let fileName = "server-secret"

    /// The secret bytes from a configured value.
    /// - Throws: ``ConfigurationError`` when the value is too short to be a secret.
    public static func fromConfiguredValue(_ value: String) throws -> [UInt8] {
        let bytes = Array(value.trimmingWhitespace().utf8)
        guard bytes.count >= 16 else {
            throw ConfigurationError.invalidValue(
                "namespace.secret", in: "the configuration", reason: "must be at least 16 bytes long")
        }
        return bytes
    }

    /// The secret stored in `directory`, creating it (and the directory) if it does not exist yet.
    /// - Throws: ``ConfigurationError`` when the file cannot be read or written.
    public static func loadOrCreate(in directory: String) throws -> [UInt8] {
        let path = (directory as NSString).appendingPathComponent(fileName)
        let files = FileManager.default
        if let existing = files.contents(atPath: path) {
            let text = String(decoding: existing, as: UTF8.self).trimmingWhitespace()
            guard text.utf8.count >= 32 else {
                throw ConfigurationError.invalidFile(path, reason: "the server secret is shorter than 32 characters; delete the file to have a new one made")
            }
            return Array(text.utf8)
        }
        do {
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
            let text = secret.map { String(format: "%02x", $0) }.joined()
            guard files.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ConfigurationError.unreadableFile(path, reason: "the server secret could not be written; check the state directory's permissions")
            }
            return Array(text.utf8)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError.unreadableFile(directory, reason: "the state directory could not be created (\(error.localizedDescription))")
        }
    }
}
