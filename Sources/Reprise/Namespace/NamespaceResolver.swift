import Crypto

/// Turns a credential into the namespace its cache entries live in, without ever keeping the credential.
///
/// - By default each credential has its own namespace: the first 128 bits of
///   `HMAC-SHA256(server secret, credential)` in hex. Without the server secret the namespace reveals
///   nothing about the credential.
/// - A client narrows its namespace with `X-Reprise-Namespace`: the narrowed namespace is
///   `<credential namespace>.<HMAC of the value, 64 bits>`, so it can never reach another credential's
///   entries (narrow, never widen).
/// - With ``sharesAcrossCredentials`` every credential shares the namespace `shared` (single-tenant
///   deployments), still narrowed by the header.
public struct NamespaceResolver: Sendable {
    private let secret: SymmetricKey
    /// Whether all credentials share one namespace.
    public let sharesAcrossCredentials: Bool

    public init(secret: [UInt8], sharesAcrossCredentials: Bool = false) {
        self.secret = SymmetricKey(data: secret)
        self.sharesAcrossCredentials = sharesAcrossCredentials
    }

    /// The namespace for a request carrying `credential` and the narrowing header value `narrowing`.
    public func namespace(credential: String?, narrowing: String? = nil) -> String {
        let base: String
        if sharesAcrossCredentials {
            base = "shared"
        } else if let credential, !credential.isEmpty {
            base = digest(of: "credential\u{0}" + credential, bytes: 16)
        } else {
            base = "anonymous"
        }
        guard let narrowing else { return base }
        return base + "." + digest(of: "narrowing\u{0}" + narrowing, bytes: 8)
    }

    private func digest(of text: String, bytes: Int) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: secret)
        return code.prefix(bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
