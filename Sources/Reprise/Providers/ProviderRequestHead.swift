/// What a provider sees of a request before its body is read: the method, the path and query, and the
/// headers by lower-cased name.
public struct ProviderRequestHead {
    /// `POST`, `GET`, …
    public var method: String
    /// The path without the query string, such as `/v1/chat/completions`.
    public var path: String
    /// The query string without `?`, or `nil` when there is none.
    public var query: String?
    private let lookup: (String) -> String?

    /// - Parameter header: the value of a header by lower-cased name, several values joined by `, `.
    public init(method: String, path: String, query: String?, header: @escaping (String) -> String?) {
        self.method = method
        self.path = path
        self.query = query
        self.lookup = header
    }

    /// The header named `name` (lower case).
    public func header(_ name: String) -> String? { lookup(name) }

    /// The first value of the query parameter `name`, percent-decoded.
    public func queryValue(_ name: String) -> String? {
        guard let query else { return nil }
        for parameter in query.split(separator: "&") {
            let parts = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.first.map(String.init) == name else { continue }
            let raw = parts.count > 1 ? String(parts[1]) : ""
            return String(raw.map { $0 == "+" ? " " : $0 }).removingPercentEncodingIfValid
        }
        return nil
    }
}

extension String {
    /// The text with `%XX` escapes decoded, or itself when an escape is malformed.
    var removingPercentEncodingIfValid: String {
        guard contains("%") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue) else { return self }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self) ?? self
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
