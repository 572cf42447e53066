/// One Server-Sent Event: its optional `event:` name and its `data:` lines joined by newlines.
public struct ServerSentEvent: Sendable, Hashable {
    public var name: String?
    public var data: String

    public init(name: String? = nil, data: String) {
        self.name = name
        self.data = data
    }

    /// The event in wire form, ending with the blank line that terminates it.
    public var encoded: String {
        var text = name.map { "event: \($0)\n" } ?? ""
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) {
            text += "data: \(line)\n"
        }
        return text + "\n"
    }
}
