import NIOCore
import NIOHTTP1

/// One request for the HTTP/1.1 upstream client: its body is whole, so head and body leave together.
struct UpstreamRequest: Sendable {
    var method: HTTPMethod
    /// The path and query, starting with `/`.
    var path: String
    /// The headers to send; the client adds `Host` and `Content-Length`.
    var headers: HTTPHeaders
    var body: ByteBuffer?
}
