import HTTPTypes
import NIOCore
import NIOHTTP1
import Testing

@testable import RepriseGateway

/// The gateway's error shapes for the HTTP/1.1 client's failures.
@Suite struct UpstreamClientErrorTests {
    @Test func aRefusedConnectionIsA502AtOnce() async throws {
        let server = try await ScriptedUpstreamServer { _, _ in .silence }
        let url = server.baseURL
        await server.stop()
        let client = UpstreamClient(baseURL: url, timeout: .seconds(30), connectTimeout: .seconds(30), maximumResponseBytes: 1000)
        let started = ContinuousClock.now
        await #expect(throws: GatewayError.upstreamUnreachable(url)) {
            try await client.send(method: .post, path: "/v1/chat/completions", headers: [:], body: ByteBuffer(string: "{}"))
        }
        // Not after the connect timeout, nor after retries.
        #expect(ContinuousClock.now - started < .seconds(10))
        await client.shutdown()
    }

    @Test func aSilentUpstreamIsA504() async throws {
        let server = try await ScriptedUpstreamServer { _, _ in .silence }
        let client = UpstreamClient(baseURL: server.baseURL, timeout: .milliseconds(200), connectTimeout: .seconds(5), maximumResponseBytes: 1000)
        await #expect(throws: GatewayError.upstreamTimeout(server.baseURL, after: .milliseconds(200))) {
            try await client.stream(method: .post, path: "/v1/chat/completions", headers: [:], body: ByteBuffer(string: "{}"))
        }
        #expect(GatewayError.upstreamTimeout(server.baseURL, after: .milliseconds(200)).status == .gatewayTimeout)
        await client.shutdown()
        await server.stop()
    }

    @Test func anAnswerOverTheLimitIsItsOwnError() async throws {
        let server = try await ScriptedUpstreamServer { _, _ in .send([ScriptedUpstreamServer.answer(String(repeating: "x", count: 500))]) }
        let client = UpstreamClient(baseURL: server.baseURL, timeout: .seconds(2), connectTimeout: .seconds(2), maximumResponseBytes: 100)
        await #expect(throws: GatewayError.upstreamTooLarge(limit: 100)) {
            try await client.send(method: .post, path: "/v1/chat/completions", headers: [:], body: ByteBuffer(string: "{}"))
        }
        await client.shutdown()
        await server.stop()
    }
}
