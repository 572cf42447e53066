import NIOCore

@testable import RepriseRedis

/// A Redis server's answer, hostile: values or a protocol error, never a crash, and the same values
/// whether the bytes arrive at once or one by one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRESP(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start, count: count)
    let atOnce = values(in: [Array(bytes)])
    let byteByByte = values(in: bytes.map { [$0] })
    if atOnce.values.count != byteByByte.values.count || atOnce.failed != byteByByte.failed {
        fatalError("the answers depend on how the bytes arrived")
    }
    return 0
}

private func values(in chunks: [[UInt8]]) -> (values: [String], failed: Bool) {
    var buffer = ByteBuffer()
    var values: [String] = []
    for chunk in chunks {
        buffer.writeBytes(chunk)
        do {
            while let value = try RESPParser.parse(&buffer) { values.append("\(value)") }
        } catch {
            return (values, true)
        }
    }
    return (values, false)
}
