import Foundation
import Reprise
import RepriseAnalysis

/// A usage log as found on disk, hostile: every format's reader either reads records or reports the
/// file's problem, never crashes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLogReaders(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let path = FuzzFile.write(UnsafeBufferPointer(start: start, count: count), named: "usage.jsonl")
    for format in [nil] + UsageLogFormat.allCases.map(Optional.some) {
        var reader = UsageLogReader(paths: [path], format: format)
        var records = 0
        do {
            try reader.forEach { _ in records += 1 }
        } catch {
            // A file no format can read is refused with a message naming it.
        }
    }
    return 0
}

/// One file per process, rewritten for each input.
enum FuzzFile {
    static let directory = NSTemporaryDirectory() + "reprise-fuzz-\(getpid())"

    static func write(_ bytes: UnsafeBufferPointer<UInt8>, named name: String) -> String {
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(buffer: bytes))
        return path
    }
}
