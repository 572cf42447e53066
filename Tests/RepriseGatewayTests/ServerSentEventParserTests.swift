import Testing

@testable import RepriseGateway

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
}
