import Foundation
import FuzzSupport
import Reprise
import RepriseGateway
import RepriseServer

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
