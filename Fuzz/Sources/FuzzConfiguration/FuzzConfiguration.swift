import Foundation
import Reprise
import RepriseGateway

/// A configuration file as a user (or a template gone wrong) writes it: loaded into a configuration or
/// refused with a ``ConfigurationError``, never a crash or another kind of error.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfiguration(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let path = FuzzFile.write(UnsafeBufferPointer(start: start, count: count), named: "reprise.yaml")
    do {
        _ = try GatewayConfiguration.load(path: path, environment: ProcessEnvironment([:]))
    } catch is ConfigurationError {
        // Refused with a message naming the file and the problem: what a user should see.
    } catch {
        fatalError("a configuration file was refused without a ConfigurationError: \(error)")
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
