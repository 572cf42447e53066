import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Reprise

/// What happened to one demo request.
public struct DemoOutcome: Sendable, Hashable {
    /// `X-Reprise-Status`: hit, miss, coalesced…
    public var status: String
    public var streamed: Bool
    public var latency: Duration
}

/// The demo's client: chat completions to the gateway, as an app would send them.
final class DemoClient: Sendable {
    let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))
    let baseURL: String
    let model: String
    let adminToken: String

    init(baseURL: String, model: String, adminToken: String) {
        self.baseURL = baseURL
        self.model = model
        self.adminToken = adminToken
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    func send(_ request: DemoTraffic.Request) async throws -> DemoOutcome {
        let body: JSONValue = [
            "model": .string(model), "stream": .bool(request.streams),
            "messages": [
                ["role": "system", "content": "You are the support assistant of an online shop. Answer briefly."],
                ["role": "user", "content": .string(request.question)],
            ],
        ]
        var outgoing = HTTPClientRequest(url: baseURL + "/v1/chat/completions")
        outgoing.method = .POST
        outgoing.headers.add(name: "Content-Type", value: "application/json")
        outgoing.headers.add(name: "Authorization", value: "Bearer sk-demo")
        outgoing.body = .bytes(ByteBuffer(bytes: body.canonicalBytes))
        let started = ContinuousClock.now
        let response = try await client.execute(outgoing, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return DemoOutcome(
            status: response.headers.first(name: "x-reprise-status") ?? "unknown", streamed: request.streams,
            latency: ContinuousClock.now - started)
    }

    func statistics() async throws -> JSONValue {
        var request = HTTPClientRequest(url: baseURL + "/admin/stats")
        request.headers.add(name: "Authorization", value: "Bearer \(adminToken)")
        let response = try await client.execute(request, timeout: .seconds(10))
        return try JSONParser.parse(try await response.body.collect(upTo: 1024 * 1024).readableBytesView)
    }
}
