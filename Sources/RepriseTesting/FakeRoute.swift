import Reprise

/// Which of the fake upstream's answers a path asks for: Azure OpenAI's paths map to OpenAI's
/// (`/openai/deployments/{deployment}/chat/completions` is a chat completion for that deployment,
/// `/openai/v1/…` is `/v1/…`), and Gemini's `/{version}/models/{model}:{method}` names the model and method.
struct FakeRoute {
    /// The OpenAI or Anthropic path the request is answered as.
    var path: String
    /// The model the path names (an Azure deployment, a Gemini model).
    var model: String?
    /// The Gemini method, for Gemini paths.
    var gemini: String?

    init(path requested: String) {
        let segments = requested.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if segments.count >= 5, segments[1] == "openai", segments[2] == "deployments" {
            path = "/v1/" + segments[4...].joined(separator: "/")
            model = segments[3]
        } else if requested.hasPrefix("/openai/v1/") {
            path = String(requested.dropFirst("/openai".count))
        } else if segments.count == 4, ["v1beta", "v1", "v1alpha"].contains(segments[1]), segments[2] == "models",
            let colon = segments[3].lastIndex(of: ":")
        {
            path = requested
            model = String(segments[3][..<colon])
            gemini = String(segments[3][segments[3].index(after: colon)...])
        } else {
            path = requested
        }
    }
}

extension JSONValue {
    /// The body with `model` set, when it names none (an Azure deployment stands for it).
    func settingModel(_ model: String) -> JSONValue {
        guard case .object(var members) = self, members["model"] == nil else { return self }
        members["model"] = .string(model)
        return .object(members)
    }
}
