import NIOCore
import NIOHTTP1

/// A complete upstream answer, buffered so it can be cached.
struct UpstreamResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: ByteBuffer
    /// How long the upstream took, from sending the request to the last byte.
    var latency: Duration

    var isSuccess: Bool { (200..<300).contains(status) }
}
