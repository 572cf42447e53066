/// A reason to refuse a semantic hit whatever the similarity: the two texts differ in something that changes
/// the answer while barely moving the embedding ("order #48213" vs "#48231": 0.982).
public enum SemanticGuard: String, Sendable, Hashable, CaseIterable, Codable {
    /// Numbers differ: ids, amounts, dates, times, versions, number words up to twenty.
    case numbers
    /// One text is negated and the other is not ("is it safe" vs "is it not safe").
    case negation
    /// Quoted strings differ (a phrase quoted on one side and written plainly on the other does not).
    case quotes
    /// Code differs: fenced blocks and inline code spans.
    case code
    /// Named entities differ: a capitalised name or acronym on one side is absent from the other.
    case entities

    /// Whether this guard vetoes matching `a` with `b`.
    public func vetoes(_ a: String, _ b: String) -> Bool {
        switch self {
        case .numbers: TextFeatures.numbers(in: a) != TextFeatures.numbers(in: b)
        case .negation: TextFeatures.isNegated(a) != TextFeatures.isNegated(b)
        case .quotes: !TextFeatures.quotesAgree(a, b)
        case .code: TextFeatures.codeSpans(in: a) != TextFeatures.codeSpans(in: b)
        case .entities: !TextFeatures.namesAgree(a, b)
        }
    }
}

/// The guards switched on; each can be turned off in configuration. All are on by default.
public struct SemanticGuards: Sendable, Hashable {
    public var enabled: Set<SemanticGuard>

    public init(enabled: Set<SemanticGuard> = Set(SemanticGuard.allCases)) {
        self.enabled = enabled
    }

    /// No guard at all: similarity alone decides, as most semantic caches do.
    public static let none = SemanticGuards(enabled: [])

    /// The first enabled guard (in declaration order) that vetoes matching `a` with `b`, or `nil` when the hit may stand.
    public func veto(_ a: String, _ b: String) -> SemanticGuard? {
        SemanticGuard.allCases.first { enabled.contains($0) && $0.vetoes(a, b) }
    }
}
