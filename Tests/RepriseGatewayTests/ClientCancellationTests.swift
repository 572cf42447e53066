import AsyncHTTPClient
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// A client that leaves in the middle of a stream takes nothing into the cache with it.
@Suite struct ClientCancellationTests {
    @Test func aStreamTheClientAbandonsIsNotStoredAndItsUpstreamCallEnds() async throws {
        let upstream = FakeUpstream(behavior: FakeUpstreamBehavior(chunkInterval: .milliseconds(100)))
        try await GatewayHarness.run(.live, upstream: upstream, configure: { $0.host = "127.0.0.1" }) { gateway in
            let port = try #require(gateway.client.port)
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/chat/completions")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: GatewayHarness.chatBody("A long story, slowly.", stream: true)))
            let reading = Task {
                let response = try await client.execute(request, timeout: .seconds(10))
                var iterator = response.body.makeAsyncIterator()
                let first = try await iterator.next()
                return first.map { String(buffer: $0) } ?? ""
            }
            // The first chunk arrives; then the client goes away (the task ends and drops the body).
            let first = try await reading.value
            #expect(first.contains("chat.completion.chunk"))
            try await Task.sleep(for: .seconds(3))
            #expect(try await gateway.storedEntries() == 0)
            #expect(gateway.upstream.callCount() == 1)
            try await client.shutdown()
        }
    }
}
