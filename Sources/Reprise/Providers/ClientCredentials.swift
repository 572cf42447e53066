/// Reading a client's credential from the headers the OpenAI-compatible and Anthropic SDKs send it in.
public enum ClientCredentials {
    /// The credential headers these SDKs use.
    public static let headers = ["authorization", "api-key", "x-api-key"]

    /// `Authorization: Bearer …` (or a bare `Authorization` value), else `x-api-key` (Anthropic), else `api-key`
    /// (Azure OpenAI); `nil` when the client sent none.
    public static func bearerOrKey(in request: ProviderRequestHead) -> String? {
        if let authorization = request.header("authorization") {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return String(parts[1]) }
            return authorization
        }
        return request.header("x-api-key") ?? request.header("api-key")
    }

    /// Compares two secrets in time that does not depend on where they differ.
    public static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            difference |= (index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0)
        }
        return difference == 0
    }
}
