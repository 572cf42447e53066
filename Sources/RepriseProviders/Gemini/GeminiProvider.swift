import Reprise

/// Google's Gemini API (the native one, as the `google-genai` SDKs speak it):
/// `POST /{version}/models/{model}:generateContent` and `:streamGenerateContent?alt=sse` are cached, for
/// the versions `v1beta`, `v1` and `v1alpha`; the rest of the API (`countTokens`, files, model listings, and
/// `streamGenerateContent` without `alt=sse`, which streams a JSON array) passes through.
///
/// The model is in the path and enters the key with it; a streamed and a whole request for the same prompt
/// share one entry (the key names `generateContent` for both). The client's key arrives in
/// `x-goog-api-key` or the `key` query parameter, which never enters a key or a log.
public struct GeminiProvider: Provider {
    public init() {}

    public var name: String { "gemini" }

    public var defaultUpstreamURL: String? { "https://generativelanguage.googleapis.com" }

    static let versions = ["v1beta", "v1", "v1alpha"]

    public var routes: [String] {
        Self.versions.flatMap { version in
            ["generateContent", "streamGenerateContent"].map { "/\(version)/models/{model}:\($0)" }
        }
    }

    public func operation(for request: ProviderRequestHead) -> ProviderOperation? {
        guard request.method == "POST", let target = GeminiPath(request.path), target.collection == "models" else { return nil }
        let streams: Bool
        switch target.method {
        case "generateContent": streams = false
        // Only Server-Sent Events can be recorded and replayed; the JSON-array stream passes through.
        case "streamGenerateContent" where request.queryValue("alt") == "sse": streams = true
        default: return nil
        }
        return ProviderOperation(
            kind: "generateContent", route: "/\(target.version)/models/{model}:\(target.method)",
            keyedPath: "/\(target.version)/models/\(target.model):generateContent", pathModel: target.model, streamsByPath: streams,
            unkeyedQueryParameters: ["key", "alt"])
    }

    public func passThroughClaim(for request: ProviderRequestHead) -> PassThroughClaim? {
        if request.header("x-goog-api-key") != nil { return .header }
        if GeminiPath(request.path) != nil || request.path.hasPrefix("/v1beta/") || request.path.hasPrefix("/v1alpha/")
            || request.path.hasPrefix("/upload/")
        {
            return .ownPath
        }
        return nil
    }

    public func credential(in request: ProviderRequestHead) -> String? {
        if let key = request.header("x-goog-api-key") { return key }
        if let key = request.queryValue("key") { return key }
        return ClientCredentials.bearerOrKey(in: request)
    }

    public var credentialHeaders: [String] { ["x-goog-api-key", "authorization"] }

    public var credentialQueryParameters: Set<String> { ["key"] }

    public var upstreamCredential: UpstreamCredentialPlacement { .header(name: "x-goog-api-key", prefix: "") }

    public func validate(_ body: JSONValue, for operation: ProviderOperation) throws(ProviderBodyError) {
        guard let contents = body["contents"] else { throw ProviderBodyError(field: "contents", problem: "is required and must be an array of contents") }
        guard case .array(let elements) = contents else { throw ProviderBodyError(field: "contents", problem: "must be an array of contents") }
        for (index, content) in elements.enumerated() {
            guard content.objectValue != nil else { throw ProviderBodyError(field: "contents[\(index)]", problem: "must be an object") }
            try RequestFields.required(content, "parts", is: .array)
            if let role = content["role"], role.stringValue == nil {
                throw ProviderBodyError(field: "contents[\(index)].role", problem: "must be a string")
            }
        }
        try RequestFields.optional(body, "systemInstruction", is: .objectOrNull)
        try RequestFields.optional(body, "generationConfig", is: .objectOrNull)
        try RequestFields.optional(body, "tools", is: .arrayOrNull)
    }

    public func wholeAnswerTarget(path: String, query: String?, for operation: ProviderOperation) -> String {
        guard operation.streamsByPath else { return query.map { path + "?" + $0 } ?? path }
        let kept = (query ?? "").split(separator: "&").filter { !$0.hasPrefix("alt=") && !$0.isEmpty }
        return operation.keyedPath + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    }

    /// `usageMetadata`: the prompt (tool-use prompts included) as input, candidates and thoughts as output,
    /// `cachedContentTokenCount` as read from the provider's cache.
    public func usage(of answer: JSONValue) -> TokenUsage? {
        guard let usage = answer["usageMetadata"], usage.objectValue != nil else { return nil }
        func count(_ field: String) -> Int { TokenUsage.count(usage[field]) ?? 0 }
        return TokenUsage(
            promptTokens: count("promptTokenCount").addingSaturating(count("toolUsePromptTokenCount")),
            completionTokens: count("candidatesTokenCount").addingSaturating(count("thoughtsTokenCount")),
            cachedPromptTokens: count("cachedContentTokenCount"))
    }

    /// An error object, or an answer without candidates (a prompt the safety filters blocked), is not an
    /// answer to keep.
    public func reportsError(_ answer: JSONValue) -> Bool {
        if let error = answer["error"], error != .null { return true }
        return answer["candidates"]?.arrayValue?.isEmpty ?? true
    }

    /// Google's `{"error": {"code", "message", "status"}}`, `status` named as the API names HTTP statuses.
    public func errorBody(_ error: ProviderError) -> JSONValue {
        ["error": ["code": .number(JSONNumber(error.status)), "message": .string(error.message), "status": .string(Self.statusName(error.status))]]
    }

    static func statusName(_ status: Int) -> String {
        switch status {
        case 400, 413: "INVALID_ARGUMENT"
        case 401: "UNAUTHENTICATED"
        case 403: "PERMISSION_DENIED"
        case 404: "NOT_FOUND"
        case 429: "RESOURCE_EXHAUSTED"
        case 499: "CANCELLED"
        case 501: "UNIMPLEMENTED"
        case 503, 502: "UNAVAILABLE"
        case 504: "DEADLINE_EXCEEDED"
        default: status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION"
        }
    }

    public func makeAssembler(for operation: ProviderOperation) -> (any StreamAssembler)? {
        GeminiStreamAssembler()
    }

    public func replay(_ answer: JSONValue, for operation: ProviderOperation, request: JSONValue) -> [ServerSentEvent]? {
        GeminiStreamReplay(response: answer).events()
    }

    /// `systemInstruction` and every content's text parts; a user's are the `user` contents (or those with
    /// no role).
    public func promptText(of body: JSONValue) -> PromptText {
        var all: [String] = []
        var user: [String] = []
        if let system = body["systemInstruction"] { all += Self.texts(of: system) }
        for content in body["contents"]?.arrayValue ?? [] {
            let texts = Self.texts(of: content)
            all += texts
            if (content["role"]?.stringValue ?? "user") == "user" { user += texts }
        }
        return PromptText(all: all.joined(separator: "\n"), user: user.joined(separator: "\n"))
    }

    /// The last content's text when it is the user's and holds text parts only.
    public func lastUserTurn(in body: JSONValue, replacingWith placeholder: JSONValue) -> (text: String, body: JSONValue)? {
        guard case .object(var members) = body, var contents = members["contents"]?.arrayValue, case .object(var last)? = contents.last,
            (last["role"]?.stringValue ?? "user") == "user", let parts = last["parts"]?.arrayValue, !parts.isEmpty
        else { return nil }
        let texts = parts.map { part -> String? in part.objectValue?.count == 1 ? part["text"]?.stringValue : nil }
        guard texts.allSatisfy({ $0 != nil }) else { return nil }
        last["parts"] = [["text": placeholder]]
        contents[contents.count - 1] = .object(last)
        members["contents"] = .array(contents)
        return (texts.compactMap { $0 }.joined(separator: "\n"), .object(members))
    }

    static func texts(of content: JSONValue) -> [String] {
        (content["parts"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }
    }
}
