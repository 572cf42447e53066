/// Whether a request may be answered from an entry stored for a similar (not identical) request, as a rule,
/// the policy's default or the `X-Reprise-Semantic` header says.
public enum SemanticPreference: Sendable, Hashable {
    /// Exact matches only.
    case off
    /// Semantic matching at the policy's ``CachePolicy/semanticThreshold``.
    case on
    /// Semantic matching at this cosine-similarity threshold, in `0...1`.
    case threshold(Float)

    /// Reads `off`, `on` or a threshold such as `0.97`, as the header and configuration write it.
    /// - Returns: `nil` for anything else, including a number outside `0...1`.
    public init?(text: String) {
        let trimmed = text.trimmingWhitespace().lowercased()
        switch trimmed {
        case "off", "false": self = .off
        case "on", "true": self = .on
        default:
            guard let value = Float(trimmed), value.isFinite, (0...1).contains(value) else { return nil }
            self = .threshold(value)
        }
    }

    /// The threshold this preference asks for, or `nil` when it turns matching off.
    public func threshold(default defaultThreshold: Float) -> Float? {
        switch self {
        case .off: nil
        case .on: defaultThreshold
        case .threshold(let value): value
        }
    }
}
