/// Recognises IP address literals among host names and text: TLS must not send one as the server name,
/// and the volatility detector must not take a dotted address for a phone number.
public enum IPAddressLiteral {
    /// Four dot-separated runs of digits (`127.0.0.1`).
    public static func isIPv4<S: StringProtocol>(_ text: S) -> Bool {
        text.split(separator: ".").count == 4 && text.allSatisfy { $0.isNumber || $0 == "." }
    }

    /// Whether a host, as written in a URL without its brackets, is an address rather than a name: IPv4,
    /// or IPv6 (the only form holding a colon).
    public static func isAddress(host: String) -> Bool {
        host.contains(":") || isIPv4(host)
    }
}
