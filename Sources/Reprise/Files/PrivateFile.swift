#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Files that hold prompts, answers or secrets: readable and writable by their owner only.
public enum PrivateFile {
    /// Creates the file at `path` with mode 0600 when it does not exist — so it is never readable by
    /// others, not even for an instant — and takes every permission but the owner's from it when it does.
    /// - Throws: ``PrivateFileError`` with the system's reason when the file cannot be created.
    public static func prepare(_ path: String) throws(PrivateFileError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw PrivateFileError(path: path, reason: String(cString: strerror(errno))) }
        fchmod(descriptor, 0o600)
        close(descriptor)
    }

    /// Takes every permission but the owner's from the file at `path`, if there is one.
    public static func restrict(_ path: String) {
        chmod(path, 0o600)
    }
}

/// A private file that could not be created.
public struct PrivateFileError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "cannot create '\(path)': \(reason)" }
}
