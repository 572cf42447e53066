import HTTPTypes
import NIOCore
import NIOHTTP1
import Reprise
import RepriseTesting
import Testing

@testable import RepriseGateway

/// The gateway's error shapes for the HTTP/1.1 client's failures.
@Suite(.timeLimit(.minutes(2))) struct UpstreamClientErrorTests {
    @Test func aRefusedConnectionIsA502AtOnce() async throws {
        // Port 9 (discard) on loopback: nothing listens there, whereas a port another test's server just let go
        // of may be taken again by a third. Timeouts of an hour: only failing at once ends within the time limit.
        let url = "http://127.0.0.1:9"
        let client = try UpstreamClient(baseURL: url, timeout: .seconds(3600), connectTimeout: .seconds(3600), maximumResponseBytes: 1000)
        await #expect(throws: GatewayError.upstreamUnreachable(url)) {
            try await client.send(method: .post, path: "/v1/chat/completions", headers: [:], body: ByteBuffer(string: "{}"))
        }
        await client.shutdown()
    }

    @Test func aSilentUpstreamIsA504() async throws {
        let server = try await ScriptedUpstreamServer { _, _ in .silence }
        let client = try UpstreamClient(baseURL: server.baseURL, timeout: .milliseconds(200), connectTimeout: .seconds(5), maximumResponseBytes: 1000)
        await #expect(throws: GatewayError.upstreamTimeout(server.baseURL, after: .milliseconds(200))) {
            try await client.stream(method: .post, path: "/v1/chat/completions", headers: [:], body: ByteBuffer(string: "{}"))
        }
        #expect(GatewayError.upstreamTimeout(server.baseURL, after: .milliseconds(200)).status == .gatewayTimeout)
        await client.shutdown()
        await server.stop()
    }

    @Test func anAnswerOverTheLimitIsItsOwnError() async throws {
        let server = try await ScriptedUpstreamServer { _, _ in .send([ScriptedUpstreamServer.answer(String(repeating: "x", count: 500))]) }
        let client = try UpstreamClient(baseURL: server.baseURL, timeout: .seconds(30), connectTimeout: .seconds(30), maximumResponseBytes: 100)
        await #expect(throws: GatewayError.upstreamTooLarge(limit: 100)) {
            try await client.send(method: .post, path: "/v1/chat/completions", headers: [:], body: ByteBuffer(string: "{}"))
        }
        await client.shutdown()
        await server.stop()
    }

    @Test func aBaseURLWithAPathPrefixesEveryCachedRoutesPath() async throws {
        let server = try await ScriptedUpstreamServer { _, _ in .send([ScriptedUpstreamServer.answer("{}")]) }
        let client = try UpstreamClient(
            baseURL: server.baseURL + "/proxy/openai/v1/", timeout: .seconds(30), connectTimeout: .seconds(30), maximumResponseBytes: 1000)
        let answer = try await client.send(method: .post, path: "/v1/chat/completions", headers: [:], body: ByteBuffer(string: "{}"))
        #expect(answer.status == 200)
        let request = try #require(server.recorded.requests.first)
        #expect(request.hasPrefix("POST /proxy/openai/v1/chat/completions HTTP/1.1\r\n"), "the upstream got: \(request.prefix(80))")
        await client.shutdown()
        await server.stop()
    }

    @Test func aURLThatIsNotHTTPIsAConfigurationError() {
        #expect(throws: ConfigurationError.self) {
            try UpstreamClient(baseURL: "ftp://files.example.com", timeout: .seconds(1), connectTimeout: .seconds(1), maximumResponseBytes: 10)
        }
    }
}
