import NIOHTTP1

/// An upstream answer whose head has arrived and whose body streams.
struct UpstreamStreamingResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: UpstreamResponseBody
}
