import NIOCore
import Reprise

@testable import RepriseGateway

/// Any byte stream, cut at places the first input byte chooses: the event parser and the usage-chunk
/// filter never crash, and neither depends on where the chunks were cut.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzServerSentEvents(_ start: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    guard count > 0 else { return 0 }
    let step = Int(start[0] % 16) + 1
    let bytes = Array(UnsafeBufferPointer(start: start + 1, count: count - 1))

    var whole = ServerSentEventParser()
    let events = whole.consume(bytes)
    var pieces = ServerSentEventParser()
    var eventsInPieces: [ServerSentEvent] = []
    for offset in stride(from: 0, to: bytes.count, by: step) {
        eventsInPieces += pieces.consume(bytes[offset..<min(offset + step, bytes.count)])
    }
    if events.map(\.data) != eventsInPieces.map(\.data) { fatalError("the events depend on where the stream was cut") }

    var filter = UsageChunkFilter()
    var oneGo = filter.filter(ByteBuffer(bytes: bytes))
    var rest = filter.finish()
    oneGo.writeBuffer(&rest)
    var piecewise = UsageChunkFilter()
    var output = ByteBuffer()
    for offset in stride(from: 0, to: bytes.count, by: step) {
        var kept = piecewise.filter(ByteBuffer(bytes: bytes[offset..<min(offset + step, bytes.count)]))
        output.writeBuffer(&kept)
    }
    var tail = piecewise.finish()
    output.writeBuffer(&tail)
    if output != oneGo { fatalError("the usage filter depends on where the stream was cut") }
    if output.readableBytes > bytes.count { fatalError("the usage filter made bytes up") }
    return 0
}
