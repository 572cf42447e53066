import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The gateway's secret for hashing credentials into namespaces.
///
/// Taken from configuration when given (hex or any text of at least 16 bytes); otherwise read from a
/// file in the state directory, made on first start with 32 random bytes and mode 0600. Keeping the
/// secret stable keeps namespaces, and so a persistent or shared cache, stable across restarts and
/// replicas.
///
/// The file is made so that gateways started at the same instant on one state directory all end up with
/// the same secret: the secret is written to a temporary file created exclusively with mode 0600, then
/// hard-linked to its final name, which fails for every gateway but the first; the others read the
/// winner's. The final file is never seen half-written, and never readable by others.
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
        if let existing = try readSecret(path) { return existing }
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ConfigurationError.unreadableFile(
                directory, reason: "the state directory could not be created (\(error.localizedDescription))")
        }
        let text = SymmetricKey(size: .bits256).withUnsafeBytes { bytes in bytes.map { String(format: "%02x", $0) }.joined() }
        if try publish(text, at: path, in: directory) { return Array(text.utf8) }
        // Another gateway published first: its secret is the one.
        guard let winner = try readSecret(path) else {
            throw ConfigurationError.unreadableFile(path, reason: "the server secret vanished while it was being created; start again")
        }
        return winner
    }

    /// The secret in the file at `path`, or `nil` when there is no file.
    private static func readSecret(_ path: String) throws -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw ConfigurationError.unreadableFile(
                path, reason: "the server secret cannot be read (\(String(cString: strerror(errno)))); check the file's owner and permissions")
        }
        defer { close(descriptor) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else {
                throw ConfigurationError.unreadableFile(path, reason: "the server secret cannot be read (\(String(cString: strerror(errno))))")
            }
            if count == 0 || contents.count > 4096 { break }
            contents += chunk[..<count]
        }
        let text = String(decoding: contents, as: UTF8.self).trimmingWhitespace()
        guard text.utf8.count >= 32 else {
            throw ConfigurationError.invalidFile(
                path, reason: "the server secret is shorter than 32 characters; delete the file to have a new one made")
        }
        return Array(text.utf8)
    }

    /// Writes `text` to a private temporary file and links it to `path`.
    /// - Returns: `true` when this call made the file, `false` when one already existed.
    private static func publish(_ text: String, at path: String, in directory: String) throws -> Bool {
        let temporary = (directory as NSString).appendingPathComponent(
            ".\(fileName).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp")
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ConfigurationError.unreadableFile(
                directory, reason: "the server secret could not be written (\(String(cString: strerror(errno)))); check the state directory's permissions")
        }
        defer { unlink(temporary) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced else {
            throw ConfigurationError.unreadableFile(directory, reason: "the server secret could not be written in full; check the free space")
        }
        guard link(temporary, path) == 0 else {
            if errno == EEXIST { return false }
            throw ConfigurationError.unreadableFile(
                path, reason: "the server secret could not be put in place (\(String(cString: strerror(errno))))")
        }
        return true
    }
}
