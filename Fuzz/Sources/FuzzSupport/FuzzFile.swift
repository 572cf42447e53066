import Foundation

/// One file per fuzzing process, rewritten with each input, for parsers that read files.
public enum FuzzFile {
    static let directory = NSTemporaryDirectory() + "reprise-fuzz-\(getpid())"

    /// Writes `bytes` to the process's file called `name` and returns its path.
    public static func write(_ bytes: UnsafeBufferPointer<UInt8>, named name: String) -> String {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(buffer: bytes))
        return path
    }
}
