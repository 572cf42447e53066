import Foundation
import Reprise
import SQLiteNIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The store's files on disk: the database and SQLite's `-wal` and `-shm` beside it.
enum SQLiteFiles {
    static let suffixes = ["", "-wal", "-shm"]

    /// Creates the database file with mode 0600 when it does not exist, and takes away every permission
    /// but the owner's from it and its companions when it does. SQLite creates `-wal` and `-shm` with the
    /// database file's mode, so they are private from the first byte too.
    static func makePrivate(_ path: String) throws {
        do {
            try PrivateFile.prepare(path)
        } catch {
            throw CacheStoreError.unavailable(
                "sqlite://\(path)", reason: "cannot create the database file (\(error.reason)); check the directory exists and is writable")
        }
        for suffix in suffixes.dropFirst() { PrivateFile.restrict(path + suffix) }
    }

    /// Whether `error` says the file is damaged or not a database at all.
    static func isCorruption(_ error: SQLiteError) -> Bool {
        switch error.reason {
        case .corrupt, .notADatabase, .corruptIndex, .corruptSequenceSchema, .corruptVirtualTable: true
        default: false
        }
    }

    /// Moves the database and its companions to `<path>.corrupt-<seconds since 1970>`.
    /// - Returns: the new path of the database file.
    static func setAside(_ path: String) throws -> String {
        let aside = "\(path).corrupt-\(Int(Date().timeIntervalSince1970))"
        for suffix in suffixes where FileManager.default.fileExists(atPath: path + suffix) {
            guard rename(path + suffix, aside + suffix) == 0 else {
                throw CacheStoreError.unavailable(
                    "sqlite://\(path)",
                    reason: "the file is corrupt and could not be moved aside (\(String(cString: strerror(errno)))); delete it or name another path")
            }
        }
        return aside
    }
}
