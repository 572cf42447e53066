/// The facts about one request that policy rules match on.
public struct PolicyRequest: Sendable {
    /// The route, such as `/v1/chat/completions`.
    public var route: String
    /// The model the body names.
    public var model: String
    /// Request headers by lower-cased name.
    public var headers: [String: String]
    /// The texts of the prompt.
    public var prompt: PromptText

    public init(route: String, model: String, headers: [String: String] = [:], prompt: PromptText) {
        self.route = route
        self.model = model
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.prompt = prompt
    }
}
