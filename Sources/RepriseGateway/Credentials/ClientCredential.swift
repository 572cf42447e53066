import HTTPTypes

/// The credential a client presented: `Authorization: Bearer …`, `api-key` (Azure OpenAI style) or
/// `x-api-key` (Anthropic style). It is used only to derive a namespace and to check client keys, and
/// is never stored, logged or counted.
struct ClientCredential {
    static let apiKey = HTTPField.Name("api-key")!
    static let xAPIKey = HTTPField.Name("x-api-key")!

    /// The credential in `fields`, or `nil` when the client sent none.
    static func find(in fields: HTTPFields) -> String? {
        if let authorization = fields[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return String(parts[1]) }
            return authorization
        }
        return fields[xAPIKey] ?? fields[apiKey]
    }

    /// Compares two secrets in time that does not depend on where they differ.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            difference |= (index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0)
        }
        return difference == 0
    }
}
