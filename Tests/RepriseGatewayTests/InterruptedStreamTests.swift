import AsyncHTTPClient
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOHTTP1
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// A stream cut off from either end, over a real connection: a client that leaves takes nothing into the
/// cache with it and ends the upstream call nobody waits for any more; an upstream that breaks off leaves
/// the client a stream without its final event, and nothing stored.
@Suite struct InterruptedStreamTests {
    @Test func aStreamTheClientAbandonsIsNotStoredAndItsUpstreamCallEnds() async throws {
        // A chunk a second: left alone the stream would take about 20 s, far longer than a busy machine takes to
        // notice the client leaving.
        let upstream = FakeUpstream(behavior: FakeUpstreamBehavior(chunkInterval: .seconds(1)))
        try await GatewayHarness.run(.live, upstream: upstream, configure: {
            $0.host = "127.0.0.1"
            $0.adminToken = GatewayHarness.adminToken
        }) { gateway in
            let port = try #require(gateway.client.port)
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
            let body = GatewayHarness.chatBody("A long story, slowly.", stream: true)
            // The first chunk arrives; then the client goes away (the response and its body are dropped).
            let first: String
            do {
                let response = try await client.execute(LiveStream.request(port: port, json: body), timeout: .seconds(60))
                var iterator = response.body.makeAsyncIterator()
                first = try await iterator.next().map { String(buffer: $0) } ?? ""
            }
            #expect(first.contains("chat.completion.chunk"))
            // Left alone, the fake's stream (about 20 chunks, a second apart) would run to its end and be stored
            // before the upstream call's background job ended; once it has ended, neither happened.
            try await gateway.waitUntilBackgroundIsIdle()
            #expect(gateway.upstream.completedStreamCount == 0)
            #expect(try await gateway.storedEntries() == 0)
            #expect(gateway.upstream.callCount() == 1)
            try await client.shutdown()

            // The next request for the same prompt goes upstream again and is stored this time.
            let again = try await LiveStream.read(port: port, json: body)
            #expect(again.failure == nil)
            #expect(SSE.endsWithDone(again.text))
            #expect(gateway.upstream.callCount() == 2)
            #expect(try await gateway.storedEntries() == 1)
        }
    }

    @Test func aStreamTheUpstreamBreaksOffEndsWithoutDoneAndIsNotStored() async throws {
        // Chunks 10 ms apart, as a model's tokens come: what arrived before the break reaches the client.
        let upstream = FakeUpstream(behavior: FakeUpstreamBehavior(chunkInterval: .milliseconds(10)))
        try await GatewayHarness.run(.live, upstream: upstream, configure: { $0.host = "127.0.0.1" }) { gateway in
            let port = try #require(gateway.client.port)
            let body = GatewayHarness.chatBody("Break off.", model: "cut-stream", stream: true)
            let stream = try await LiveStream.read(port: port, json: body)
            #expect(stream.status == 200)
            #expect(!SSE.content(of: stream.text).isEmpty)
            #expect(!stream.text.contains("[DONE]"))
            // The connection breaks off rather than ending cleanly, so the client knows the answer is cut.
            #expect(stream.failure != nil)
            #expect(try await gateway.storedEntries() == 0)
            _ = try await LiveStream.read(port: port, json: body)
            #expect(gateway.upstream.callCount() == 2)
        }
    }
}
