import NIOCore

@testable import RepriseMemcached

/// A memcached server's answer, hostile: answers or a protocol error, never a crash, and the same
/// answers whether the bytes arrive at once or one by one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMemcached(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: start, count: count)
    let atOnce = answers(in: [Array(bytes)])
    let byteByByte = answers(in: bytes.map { [$0] })
    if atOnce.answers != byteByByte.answers || atOnce.failed != byteByByte.failed {
        fatalError("the answers depend on how the bytes arrived")
    }
    return 0
}

private func answers(in chunks: [[UInt8]]) -> (answers: [String], failed: Bool) {
    var buffer = ByteBuffer()
    var answers: [String] = []
    for chunk in chunks {
        buffer.writeBytes(chunk)
        do {
            while let answer = try MemcachedResponseDecoder.parse(&buffer) { answers.append("\(answer)") }
        } catch {
            return (answers, true)
        }
    }
    return (answers, false)
}
