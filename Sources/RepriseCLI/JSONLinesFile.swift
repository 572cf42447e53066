import Foundation

/// An output file written line by line into a temporary file beside it and moved into place only by
/// ``commit()``, so a failed run never leaves half a file or replaces a good one.
final class JSONLinesFile {
    let finalPath: String
    private let temporaryPath: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private(set) var lines = 0

    init(finalPath: String) throws {
        self.finalPath = finalPath
        temporaryPath = finalPath + ".partial-\(getpid())"
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil) else {
            throw CLIError("Cannot write \(finalPath): the folder does not exist or is not writable.")
        }
        guard let handle = FileHandle(forWritingAtPath: temporaryPath) else {
            throw CLIError("Cannot open \(temporaryPath) for writing.")
        }
        self.handle = handle
    }

    func append(_ line: String) throws {
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        lines += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    func commit() throws {
        try flush()
        try handle.close()
        if FileManager.default.fileExists(atPath: finalPath) { try FileManager.default.removeItem(atPath: finalPath) }
        do {
            try FileManager.default.moveItem(atPath: temporaryPath, toPath: finalPath)
        } catch {
            throw CLIError("Cannot move the finished file to \(finalPath): \(error.localizedDescription)")
        }
    }

    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw CLIError("Cannot write \(finalPath): \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
