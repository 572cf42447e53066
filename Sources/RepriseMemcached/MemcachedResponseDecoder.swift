import NIOCore

/// Reads meta-protocol answers from the byte stream as they arrive, however the stream is split.
///
/// A line that is not a known answer, a value whose data is not followed by `\r\n`, or a line longer
/// than any real answer is a ``MemcachedProtocolError``: the decoder never guesses.
struct MemcachedResponseDecoder: ByteToMessageDecoder {
    typealias InboundOut = MemcachedResponse

    /// The longest answer line accepted; real ones are a few dozen bytes.
    static let maximumLineLength = 8192

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let response = try Self.parse(&buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(response))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// Takes one complete answer off the front of `buffer`, or nothing (leaving `buffer` as it was) when
    /// the answer has not fully arrived.
    static func parse(_ buffer: inout ByteBuffer) throws -> MemcachedResponse? {
        let view = buffer.readableBytesView
        guard let newline = view.firstIndex(of: UInt8(ascii: "\n")) else {
            if view.count > maximumLineLength { throw MemcachedProtocolError(detail: "an answer line longer than \(maximumLineLength) bytes") }
            return nil
        }
        let lineLength = newline - view.startIndex + 1
        guard lineLength >= 2, view[newline - 1] == UInt8(ascii: "\r") else {
            throw MemcachedProtocolError(detail: "an answer line not ended by CRLF")
        }
        guard let line = buffer.getString(at: buffer.readerIndex, length: lineLength - 2) else {
            throw MemcachedProtocolError(detail: "an unreadable answer line")
        }
        let words = line.split(separator: " ", omittingEmptySubsequences: true)
        guard let code = words.first else { throw MemcachedProtocolError(detail: "an empty answer line") }
        let simple: MemcachedResponse?
        switch code {
        case "HD": simple = .done
        case "NS": simple = .notStored
        case "EX": simple = .exists
        case "NF": simple = .notFound
        case "EN": simple = .miss
        case "MN": simple = .noop
        case "END": simple = .end
        case "STAT":
            guard words.count >= 3 else { throw MemcachedProtocolError(detail: "a STAT line without a value: '\(line.prefix(40))'") }
            simple = .stat(name: String(words[1]), value: String(words[2]))
        case "SERVER_ERROR": simple = .serverError(String(line.dropFirst(code.count).drop { $0 == " " }))
        case "CLIENT_ERROR": simple = .clientError(String(line.dropFirst(code.count).drop { $0 == " " }))
        case "VA": simple = nil
        default: throw MemcachedProtocolError(detail: "an unknown answer '\(line.prefix(40))'")
        }
        if let simple {
            buffer.moveReaderIndex(forwardBy: lineLength)
            return simple
        }
        guard words.count >= 2, let size = Int(words[1]), size >= 0 else {
            throw MemcachedProtocolError(detail: "a value header without a valid size: '\(line.prefix(40))'")
        }
        guard buffer.readableBytes >= lineLength + size + 2 else { return nil }
        let dataStart = buffer.readerIndex + lineLength
        guard buffer.getBytes(at: dataStart + size, length: 2) == [UInt8(ascii: "\r"), UInt8(ascii: "\n")] else {
            throw MemcachedProtocolError(detail: "value data of \(size) bytes not followed by CRLF")
        }
        var flags: UInt32?
        var key: String?
        for word in words.dropFirst(2) {
            switch word.first {
            case "f":
                guard let parsed = UInt32(word.dropFirst()) else { throw MemcachedProtocolError(detail: "invalid flags '\(word)'") }
                flags = parsed
            case "k": key = String(word.dropFirst())
            default: continue
            }
        }
        buffer.moveReaderIndex(forwardBy: lineLength)
        let data = buffer.readSlice(length: size)!
        buffer.moveReaderIndex(forwardBy: 2)
        return .value(data, flags: flags, key: key)
    }
}

/// Writes commands as the meta protocol's bytes.
struct MemcachedCommandEncoder: MessageToByteEncoder {
    typealias OutboundIn = [MemcachedCommand]

    func encode(data commands: [MemcachedCommand], out: inout ByteBuffer) throws {
        for command in commands { command.write(into: &out) }
    }
}
