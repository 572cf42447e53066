import Foundation
import FuzzSupport
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
