import NIOCore
import Reprise

/// Takes the usage chunk out of an OpenAI chat or text completion event stream, passing every other
/// event's bytes on unchanged.
///
/// The gateway asks the upstream for usage (`stream_options.include_usage`) when it records a stream for
/// the cache, so that the stored entry can be accounted and replayed with usage; a client that did not
/// ask for it must not receive the extra chunk (`choices: []` with a `usage` object), which some clients
/// read as an empty answer.
struct UsageChunkFilter: Sendable {
    /// Bytes of an event whose end has not arrived yet.
    private var pending = ByteBuffer()

    /// The complete events in what has arrived so far, without the usage chunk; an incomplete event waits
    /// for the rest of its bytes.
    mutating func filter(_ chunk: ByteBuffer) -> ByteBuffer {
        pending.writeImmutableBuffer(chunk)
        var output = ByteBuffer()
        while let length = Self.firstEventLength(in: pending.readableBytesView), let event = pending.readSlice(length: length) {
            if !Self.isUsageChunk(event) { output.writeImmutableBuffer(event) }
        }
        pending.discardReadBytes()
        return output
    }

    /// What is left when the stream ends: an event that never ended, passed on as it is.
    mutating func finish() -> ByteBuffer {
        defer { pending.clear() }
        return pending
    }

    /// The length of the first event in `bytes`, up to and including the blank line that ends it; `nil` while
    /// it has not ended. Lines end in LF, CRLF or CR.
    static func firstEventLength(in bytes: ByteBufferView) -> Int? {
        var index = bytes.startIndex
        var previousEndedALine = false
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
                previousEndedALine = false
                index += 1
                continue
            }
            var terminatorEnd = index + 1
            if byte == UInt8(ascii: "\r") {
                // A CR may be the first half of a CRLF that has not arrived yet.
                guard terminatorEnd < bytes.endIndex else { return nil }
                if bytes[terminatorEnd] == UInt8(ascii: "\n") { terminatorEnd += 1 }
            }
            if previousEndedALine { return terminatorEnd - bytes.startIndex }
            previousEndedALine = true
            index = terminatorEnd
        }
        return nil
    }

    /// Whether `event` is a usage chunk: its data is an object with an empty `choices` and a `usage` object.
    static func isUsageChunk(_ event: ByteBuffer) -> Bool {
        let view = event.readableBytesView
        // Almost every event is content: a byte search spares them the parse.
        guard view.firstRange(of: Array(#""usage""#.utf8)) != nil else { return false }
        var parser = ServerSentEventParser()
        guard let parsed = parser.consume(view).first, let chunk = try? JSONParser.parse(parsed.data) else { return false }
        return chunk["choices"]?.arrayValue?.isEmpty == true && chunk["usage"]?.objectValue != nil
    }
}
