/// Splits a byte stream into Server-Sent Events as the bytes arrive, whatever the chunk boundaries
/// (WHATWG HTML §9.2.6: lines end in LF, CRLF or CR; a blank line ends an event; comments start with `:`).
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var name: String?
    private var dataLines: [String] = []
    private var sawCarriageReturn = false

    public init() {}

    /// The events completed by `bytes`.
    public mutating func consume(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if sawCarriageReturn {
                sawCarriageReturn = false
                if byte == UInt8(ascii: "\n") { continue }
            }
            switch byte {
            case UInt8(ascii: "\r"):
                sawCarriageReturn = true
                if let event = endLine() { events.append(event) }
            case UInt8(ascii: "\n"):
                if let event = endLine() { events.append(event) }
            default:
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            guard !dataLines.isEmpty else {
                name = nil
                return nil
            }
            let event = ServerSentEvent(name: name, data: dataLines.joined(separator: "\n"))
            name = nil
            dataLines.removeAll()
            return event
        }
        if line.first == UInt8(ascii: ":") { return nil }
        let text = String(decoding: line, as: UTF8.self)
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = Substring(text)
            value = ""
        }
        switch field {
        case "data": dataLines.append(String(value))
        case "event": name = String(value)
        default: break
        }
        return nil
    }
}
