import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// A streamed answer read over a real connection chunk by chunk, as an SDK reads it: what arrived, and
/// whether the body ended cleanly or broke off.
struct LiveStream {
    var status: Int
    var headers: HTTPHeaders
    var text: String
    /// How the body ended: `nil` when it ended cleanly, the error when the connection broke off.
    var failure: (any Error)?

    /// Posts `json` to `path` on the gateway at `port` and reads the whole streamed answer.
    static func read(port: Int, path: String = "/v1/chat/completions", json: String) async throws -> LiveStream {
        let response = try await HTTPClient.shared.execute(request(port: port, path: path, json: json), timeout: .seconds(60))
        var stream = LiveStream(status: Int(response.status.code), headers: response.headers, text: "")
        do {
            for try await chunk in response.body { stream.text += String(buffer: chunk) }
        } catch {
            stream.failure = error
        }
        return stream
    }

    static func request(port: Int, path: String = "/v1/chat/completions", json: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        return request
    }
}
