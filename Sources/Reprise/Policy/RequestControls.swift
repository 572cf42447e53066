/// The caching instructions a client sends in request headers (stripped before forwarding):
/// `Cache-Control: no-cache | no-store | max-age=N`, `X-Reprise-TTL: N`, `X-Reprise-Namespace: S`,
/// `X-Reprise-Semantic: off | on | <threshold>`.
public struct RequestControls: Sendable, Hashable {
    /// `no-cache`: skip the lookup, store the fresh answer.
    public var noCache = false
    /// `no-store`: do not store this answer.
    public var noStore = false
    /// `max-age=N`: serve only an entry at most this old.
    public var maximumAge: Duration?
    /// `X-Reprise-TTL`: store the answer for this long (bounded by the policy's maximum).
    public var timeToLive: Duration?
    /// `X-Reprise-Namespace`: narrow the namespace.
    public var namespace: String?
    /// `X-Reprise-Semantic`: turn semantic matching off or on, or on at a threshold.
    public var semantic: SemanticPreference?

    public init() {}

    /// The longest `X-Reprise-Namespace` value accepted, in bytes.
    public static let maximumNamespaceLength = 256

    /// Reads the controls from header values (`nil` when a header is absent).
    ///
    /// `Cache-Control` is read leniently, as HTTP caches do: unknown or malformed directives are
    /// ignored. The gateway's own headers are strict, so a typo is reported rather than silently
    /// caching for the wrong time.
    /// - Throws: ``RequestControlError`` for a malformed `X-Reprise-TTL` or `X-Reprise-Namespace`.
    public init(cacheControl: String?, timeToLive: String?, namespace: String?, semantic: String? = nil) throws(RequestControlError) {
        for directive in (cacheControl ?? "").split(separator: ",") {
            let parts = directive.split(separator: "=", maxSplits: 1).map { String($0).trimmingWhitespace().lowercased() }
            switch parts.first {
            case "no-cache": noCache = true
            case "no-store": noStore = true
            case "max-age":
                if parts.count == 2, let seconds = Int(parts[1].trimmingCharacters(in: "\"")), seconds >= 0 {
                    maximumAge = .seconds(seconds)
                }
            default: break
            }
        }
        if let timeToLive {
            guard let seconds = Int(timeToLive.trimmingWhitespace()), seconds >= 0 else {
                throw RequestControlError(
                    header: "X-Reprise-TTL", message: "X-Reprise-TTL must be a whole number of seconds, got '\(timeToLive)'.")
            }
            self.timeToLive = .seconds(seconds)
        }
        if let namespace {
            let trimmed = namespace.trimmingWhitespace()
            guard !trimmed.isEmpty, trimmed.utf8.count <= Self.maximumNamespaceLength else {
                throw RequestControlError(
                    header: "X-Reprise-Namespace",
                    message: "X-Reprise-Namespace must be 1 to \(Self.maximumNamespaceLength) bytes long.")
            }
            self.namespace = trimmed
        }
        if let semantic {
            guard let preference = SemanticPreference(text: semantic) else {
                throw RequestControlError(
                    header: "X-Reprise-Semantic",
                    message: "X-Reprise-Semantic must be 'off', 'on' or a similarity threshold from 0 to 1 such as 0.97, got '\(semantic)'.")
            }
            self.semantic = preference
        }
    }
}

/// A request header that asks for something the gateway cannot do.
public struct RequestControlError: Error, Sendable, Hashable {
    /// The header at fault.
    public let header: String
    /// What is wrong and what to send instead.
    public let message: String
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
