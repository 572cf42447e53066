import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// Streams on `/v1/completions` and `/v1/responses` are cached and replayed in their own formats, as they
/// are on `/v1/chat/completions`.
@Suite struct StreamingRoutesTests {
    static let completion = #"{"model":"gpt-3.5-turbo-instruct","prompt":"Write a haiku about caches.","stream":true}"#
    static let response = #"{"model":"gpt-4o-mini","input":"Name three rivers.","stream":true}"#

    @Test func textCompletionStreamMissThenHitGiveTheSameText() async throws {
        try await GatewayHarness.run { gateway in
            let first = try await gateway.post("/v1/completions", json: Self.completion)
            #expect(first.repriseStatus == "miss")
            #expect(first.headers[.contentType]?.hasPrefix("text/event-stream") == true)
            #expect(SSE.endsWithDone(first.text))
            #expect(SSE.payloads(of: first.text).allSatisfy { $0["object"]?.stringValue == "text_completion" })

            let second = try await gateway.post("/v1/completions", json: Self.completion)
            #expect(second.repriseStatus == "hit")
            #expect(second.headers[.contentType] == "text/event-stream")
            #expect(SSE.endsWithDone(second.text))
            #expect(SSE.payloads(of: second.text).allSatisfy { $0["object"]?.stringValue == "text_completion" })
            #expect(!SSE.completionText(of: first.text).isEmpty)
            #expect(SSE.completionText(of: second.text) == SSE.completionText(of: first.text))
            #expect(SSE.payloads(of: second.text).first?["id"] == SSE.payloads(of: first.text).first?["id"])
            #expect(gateway.upstream.callCount() == 1)
        }
    }

    @Test func textCompletionUsageChunkIsReplayed() async throws {
        let body = #"{"model":"gpt-3.5-turbo-instruct","prompt":"Count.","stream":true,"stream_options":{"include_usage":true}}"#
        try await GatewayHarness.run { gateway in
            let first = try await gateway.post("/v1/completions", json: body)
            let usage = try #require(SSE.usage(of: first.text))
            let second = try await gateway.post("/v1/completions", json: body)
            #expect(second.repriseStatus == "hit")
            #expect(SSE.usage(of: second.text) == usage)
            // A non-streamed request for the same prompt hits the entry, usage included.
            let whole = try await gateway.post("/v1/completions", json: #"{"model":"gpt-3.5-turbo-instruct","prompt":"Count."}"#)
            #expect(whole.repriseStatus == "hit")
            #expect(try whole.json()["object"]?.stringValue == "text_completion")
            #expect(try whole.json()["usage"] == usage)
            #expect(try whole.json()["choices"]?.arrayValue?.first?["text"]?.stringValue == SSE.completionText(of: first.text))
        }
    }

    @Test func responsesStreamMissThenHitGiveTheSameResponse() async throws {
        try await GatewayHarness.run { gateway in
            let first = try await gateway.post("/v1/responses", json: Self.response)
            #expect(first.repriseStatus == "miss")
            Self.expectWellFormedResponsesStream(first.text)
            let completed = try #require(SSE.completedResponse(of: first.text))
            #expect(completed["status"]?.stringValue == "completed")

            let second = try await gateway.post("/v1/responses", json: Self.response)
            #expect(second.repriseStatus == "hit")
            #expect(second.headers[.contentType] == "text/event-stream")
            Self.expectWellFormedResponsesStream(second.text)
            #expect(SSE.completedResponse(of: second.text) == completed)
            #expect(SSE.outputTextDeltas(of: second.text) == SSE.outputText(ofResponse: completed))
            #expect(gateway.upstream.callCount() == 1)
        }
    }

    @Test func aNonStreamedResponsesRequestHitsWhatAStreamStored() async throws {
        try await GatewayHarness.run { gateway in
            let streamed = try await gateway.post("/v1/responses", json: Self.response)
            let whole = try await gateway.post("/v1/responses", json: #"{"model":"gpt-4o-mini","input":"Name three rivers."}"#)
            #expect(whole.repriseStatus == "hit")
            #expect(whole.headers[.contentType] == "application/json")
            #expect(try whole.json() == SSE.completedResponse(of: streamed.text))
            #expect(gateway.upstream.callCount() == 1)
        }
    }

    @Test func aStreamedResponsesRequestReplaysWhatAWholeOneStored() async throws {
        try await GatewayHarness.run { gateway in
            let whole = try await gateway.post("/v1/responses", json: #"{"model":"gpt-4o-mini","input":"Name three rivers."}"#)
            let streamed = try await gateway.post("/v1/responses", json: Self.response)
            #expect(streamed.repriseStatus == "hit")
            Self.expectWellFormedResponsesStream(streamed.text)
            #expect(SSE.completedResponse(of: streamed.text) == (try whole.json()))
            #expect(SSE.outputTextDeltas(of: streamed.text) == SSE.outputText(ofResponse: try whole.json()))
        }
    }

    @Test(arguments: [
        ("/v1/completions", #"{"model":"cut-stream","prompt":"Break off.","stream":true}"#),
        ("/v1/responses", #"{"model":"cut-stream","input":"Break off.","stream":true}"#),
    ])
    func aStreamThatBreaksOffIsNeverStored(path: String, body: String) async throws {
        try await GatewayHarness.run { gateway in
            let first = try? await gateway.post(path, json: body)
            let finished = first.map { SSE.endsWithDone($0.text) || SSE.completedResponse(of: $0.text) != nil }
            #expect(finished != true)
            let stored = try await gateway.storedEntries()
            #expect(stored == 0)
            let second = try? await gateway.post(path, json: body)
            #expect(second?.repriseStatus != "hit")
            #expect(gateway.upstream.callCount() == 2)
        }
    }

    /// A Responses API stream as the SDKs read it: named events whose `type` matches the name, numbered
    /// from 0 without gaps, opening with `response.created`, closing with `response.completed`, its text
    /// deltas adding up to the completed response's text.
    static func expectWellFormedResponsesStream(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let events = SSE.events(of: text)
        #expect(events.first?.name == "response.created", sourceLocation: sourceLocation)
        #expect(events.last?.name == "response.completed", sourceLocation: sourceLocation)
        #expect(events.allSatisfy { $0.name != nil && $0.name == $0.payload["type"]?.stringValue }, sourceLocation: sourceLocation)
        #expect(events.map { $0.payload["sequence_number"]?.intValue } == Array(0..<events.count), sourceLocation: sourceLocation)
        #expect(!text.contains("[DONE]"), sourceLocation: sourceLocation)
        let completed = SSE.completedResponse(of: text)
        let deltas = SSE.outputTextDeltas(of: text)
        #expect(!deltas.isEmpty, sourceLocation: sourceLocation)
        #expect(completed.map { SSE.outputText(ofResponse: $0) } == deltas, sourceLocation: sourceLocation)
    }
}
