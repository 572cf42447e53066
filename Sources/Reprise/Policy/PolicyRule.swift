/// One ordered policy rule: conditions on the request, and what to do when all of them hold.
public struct PolicyRule: Sendable {
    /// What a matching rule does.
    public enum Action: Sendable, Hashable {
        /// Cache for this long.
        case timeToLive(Duration)
        /// Skip the cache.
        case bypass
        /// Cache for the policy's default time to live (a rule that only sets ``PolicyRule/semantic``).
        case defaultTimeToLive
    }

    /// A name for logs; defaults to `rule N`.
    public var name: String
    /// Routes the rule applies to (glob); `nil` matches every route.
    public var route: Glob?
    /// Models the rule applies to (glob); `nil` matches every model.
    public var model: Glob?
    /// A header that must be present, lower-cased name; with ``headerValue`` it must also match it.
    public var headerName: String?
    /// The glob the header's value must match.
    public var headerValue: Glob?
    /// A regular expression that must occur in the prompt text (``PromptText/all``).
    public var prompt: TextPattern?
    /// What the rule does.
    public var action: Action
    /// Whether matching requests may be answered semantically; `nil` leaves the policy's default.
    public var semantic: SemanticPreference?

    public init(
        name: String, route: Glob? = nil, model: Glob? = nil, headerName: String? = nil, headerValue: Glob? = nil,
        prompt: TextPattern? = nil, action: Action, semantic: SemanticPreference? = nil
    ) {
        self.name = name
        self.route = route
        self.model = model
        self.headerName = headerName?.lowercased()
        self.headerValue = headerValue
        self.prompt = prompt
        self.action = action
        self.semantic = semantic
    }

    /// Whether every condition holds for `request`.
    public func matches(_ request: PolicyRequest) -> Bool {
        if let route, !route.matches(request.route) { return false }
        if let model, !model.matches(request.model) { return false }
        if let headerName {
            guard let value = request.headers[headerName] else { return false }
            if let headerValue, !headerValue.matches(value) { return false }
        }
        if let prompt, !prompt.occurs(in: request.prompt.all) { return false }
        return true
    }
}
