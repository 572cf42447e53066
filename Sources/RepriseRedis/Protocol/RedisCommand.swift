import NIOCore

/// One command to send: its name and arguments, each sent as a RESP bulk string.
public struct RedisCommand: Sendable, Hashable, CustomStringConvertible {
    /// The arguments, the command name first.
    public var arguments: [[UInt8]]

    public init(_ name: String, _ arguments: [RedisArgument] = []) {
        self.arguments = [Array(name.utf8)] + arguments.map(\.bytes)
    }

    /// The command's name, for messages and logs (never its arguments, which may hold secrets).
    public var name: String {
        String(decoding: arguments.first ?? [], as: UTF8.self).uppercased()
    }

    public var description: String { name }
}

/// One argument of a ``RedisCommand``.
public struct RedisArgument: Sendable, Hashable, ExpressibleByStringInterpolation, ExpressibleByIntegerLiteral {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ text: String) { self.bytes = Array(text.utf8) }
    public init(_ number: some BinaryInteger) { self.bytes = Array(String(number).utf8) }
    public init(stringLiteral text: String) { self.init(text) }
    public init(integerLiteral number: Int) { self.init(number) }
}

/// Writes commands as RESP arrays of bulk strings.
struct RESPCommandEncoder: MessageToByteEncoder {
    typealias OutboundIn = RedisCommand

    func encode(data command: RedisCommand, out: inout ByteBuffer) {
        out.reserveCapacity(minimumWritableBytes: command.arguments.reduce(16) { $0 + $1.count + 16 })
        out.writeStaticString("*")
        out.writeString(String(command.arguments.count))
        out.writeStaticString("\r\n")
        for argument in command.arguments {
            out.writeStaticString("$")
            out.writeString(String(argument.count))
            out.writeStaticString("\r\n")
            out.writeBytes(argument)
            out.writeStaticString("\r\n")
        }
    }
}

/// Turns the byte stream from the server into ``RESPValue`` replies, however the bytes are split.
struct RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let value = try RESPParser.parse(&buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(value))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}
