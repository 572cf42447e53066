import Testing

import Reprise

@Suite struct ServerSentEventParserTests {
    static let stream = "event: first\ndata: {\"a\":1}\n\n: a comment\ndata: line one\ndata: line two\n\ndata: [DONE]\n\n"

    @Test(arguments: [1, 2, 3, 7, 1000])
    func eventsSurviveAnyChunkBoundary(chunkSize: Int) {
        var parser = ServerSentEventParser()
        let bytes = Array(Self.stream.utf8)
        var events: [ServerSentEvent] = []
        var start = 0
        while start < bytes.count {
            events += parser.consume(bytes[start..<min(start + chunkSize, bytes.count)])
            start += chunkSize
        }
        #expect(events == [
            ServerSentEvent(name: "first", data: #"{"a":1}"#),
            ServerSentEvent(data: "line one\nline two"),
            ServerSentEvent(data: "[DONE]"),
        ])
    }

    @Test func carriageReturnsEndLinesToo() {
        var parser = ServerSentEventParser()
        let events = parser.consume(Array("data: a\r\n\r\ndata: b\r\rdata:c\n\n".utf8))
        #expect(events.map(\.data) == ["a", "b", "c"])
    }

    @Test func anUnfinishedEventIsNotReported() {
        var parser = ServerSentEventParser()
        #expect(parser.consume(Array("data: half".utf8)).isEmpty)
        #expect(parser.consume(Array("\n\n".utf8)).map(\.data) == ["half"])
    }

    @Test func encodingRoundTrips() {
        let event = ServerSentEvent(name: "response.completed", data: "one\ntwo")
        var parser = ServerSentEventParser()
        #expect(parser.consume(Array(event.encoded.utf8)) == [event])
    }

    /// Feeds `text` to a fresh parser in pieces of `size` bytes.
    static func parse(_ text: String, chunkSize size: Int) -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        let bytes = Array(text.utf8)
        return stride(from: 0, to: bytes.count, by: size).flatMap { parser.consume(bytes[$0..<min($0 + size, bytes.count)]) }
    }

    @Test(arguments: [1, 2, 5, 1000])
    func crlfSplitBetweenChunksEndsOneLineNotTwo(chunkSize: Int) {
        let stream = "event: response.created\r\ndata: {\"type\":\"response.created\"}\r\n\r\n: keep-alive\r\n\r\ndata: [DONE]\r\n\r\n"
        #expect(Self.parse(stream, chunkSize: chunkSize) == [
            ServerSentEvent(name: "response.created", data: #"{"type":"response.created"}"#),
            ServerSentEvent(data: "[DONE]"),
        ])
    }

    @Test func aCommentOnlyBlockOrAnEventWithoutDataIsNoEvent() {
        #expect(Self.parse(": ping\n\nevent: lonely\n\ndata: x\n\n", chunkSize: 4) == [ServerSentEvent(data: "x")])
    }

    @Test func anEventNameDoesNotCarryOverToTheNextEvent() {
        let events = Self.parse("event: first\ndata: 1\n\ndata: 2\n\n", chunkSize: 3)
        #expect(events == [ServerSentEvent(name: "first", data: "1"), ServerSentEvent(data: "2")])
    }

    @Test func fieldsAreReadAsTheSpecificationSays() {
        // No space after the colon is fine; only one leading space is removed; `id:` and `retry:` are not data;
        // a bare `data` line is an empty data line.
        let events = Self.parse("id: 7\nretry: 1000\ndata:tight\ndata:  two spaces\ndata\n\n", chunkSize: 1000)
        #expect(events == [ServerSentEvent(data: "tight\n two spaces\n")])
    }

    @Test func multiByteCharactersSplitAcrossChunksSurvive() {
        let text = "data: {\"content\":\"Grüße 👋\"}\n\n"
        for size in 1...6 {
            #expect(Self.parse(text, chunkSize: size).map(\.data) == [#"{"content":"Grüße 👋"}"#])
        }
    }
}
