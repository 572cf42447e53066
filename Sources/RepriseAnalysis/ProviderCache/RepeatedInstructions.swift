/// The input tokens that fine-tuning could take out of every request: system prompts, few-shot examples
/// and other prompt prefixes that many requests send again.
///
/// A prefix (see ``PromptPrefixes``; the request's own last turn is never one) counts as an instruction
/// once at least ``minimumRequests`` earlier requests have sent it, so a conversation's earlier turns,
/// which repeat only within that conversation, do not count, while a system prompt or a set of examples
/// shared across conversations does. Its first uses are not counted, so the figure slightly understates.
public struct RepeatedInstructions: Sendable {
    /// How many earlier requests must have sent a prefix for it to count: 10.
    public let minimumRequests: Int
    /// Input tokens of every request counted.
    public private(set) var inputTokens = 0
    /// Input tokens in prefixes that at least ``minimumRequests`` earlier requests sent.
    public private(set) var repeatedTokens = 0
    private var uses: [UInt64: Int] = [:]

    /// At most this many distinct prefixes are tracked, so memory stays bounded on logs with long
    /// unique conversations; prefixes first seen after that are not counted.
    public static let maximumTrackedPrefixes = 4_000_000

    public init(minimumRequests: Int = 10) {
        self.minimumRequests = minimumRequests
    }

    /// The share of input tokens fine-tuning could remove.
    public var share: Double { inputTokens == 0 ? 0 : Double(repeatedTokens) / Double(inputTokens) }

    /// Counts one request's prefixes.
    public mutating func add(_ prefixes: PromptPrefixes) {
        inputTokens += prefixes.links.last?.tokens ?? 0
        var repeated = 0
        for link in prefixes.links.dropLast() {
            if let count = uses[link.digest] {
                if count >= minimumRequests { repeated = link.tokens }
                uses[link.digest] = count + 1
            } else if uses.count < Self.maximumTrackedPrefixes {
                uses[link.digest] = 1
            }
        }
        repeatedTokens += repeated
    }
}
