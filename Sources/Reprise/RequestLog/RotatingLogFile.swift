import Foundation

/// An append-only file that rolls over by size: when a write would take it past ``maximumBytes``, the
/// file becomes `path.1`, the previous `path.1` becomes `path.2`, and so on up to ``maximumFiles``
/// kept files; the oldest is deleted.
///
/// Not thread-safe: one writer owns it (the gateway's request-log service).
public final class RotatingLogFile {
    public let path: String
    /// The size at which the file rolls over; `nil` never rolls.
    public let maximumBytes: Int?
    /// How many rolled files are kept besides the current one.
    public let maximumFiles: Int

    private var handle: FileHandle?
    private var size = 0

    /// Opens (or creates) the file for appending.
    /// - Throws: ``ConfigurationError`` when the file or its directory cannot be created.
    public init(path: String, maximumBytes: Int? = nil, maximumFiles: Int = 5) throws {
        self.path = path
        self.maximumBytes = maximumBytes
        self.maximumFiles = max(0, maximumFiles)
        try open()
    }

    deinit {
        try? handle?.close()
    }

    /// Appends `bytes`, rolling the file over first if they would not fit.
    public func append(_ bytes: [UInt8]) throws {
        if let maximumBytes, size > 0, size + bytes.count > maximumBytes {
            try rollOver()
        }
        try handle?.write(contentsOf: bytes)
        size += bytes.count
    }

    /// Flushes written data to the disk.
    public func synchronize() throws {
        try handle?.synchronize()
    }

    private func open() throws {
        let files = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty { try files.createDirectory(atPath: directory, withIntermediateDirectories: true) }
            // The log may hold prompts and answers: readable by its owner only, from the first byte.
            try PrivateFile.prepare(path)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            size = Int(try handle.seekToEnd())
            self.handle = handle
        } catch {
            throw ConfigurationError.unreadableFile(path, reason: "the request log cannot be opened for writing (\(error.localizedDescription))")
        }
    }

    private func rollOver() throws {
        try handle?.close()
        handle = nil
        let files = FileManager.default
        if maximumFiles == 0 {
            try? files.removeItem(atPath: path)
        } else {
            try? files.removeItem(atPath: "\(path).\(maximumFiles)")
            for generation in stride(from: maximumFiles - 1, through: 1, by: -1) where files.fileExists(atPath: "\(path).\(generation)") {
                try files.moveItem(atPath: "\(path).\(generation)", toPath: "\(path).\(generation + 1)")
            }
            try files.moveItem(atPath: path, toPath: "\(path).1")
        }
        size = 0
        try open()
    }
}
