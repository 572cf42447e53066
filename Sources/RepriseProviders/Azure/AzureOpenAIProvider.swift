import Reprise

/// Azure OpenAI: OpenAI's request and answer shapes at Azure's paths —
/// `/openai/deployments/{deployment}/chat/completions`, `/completions` and `/embeddings` with
/// `?api-version=…`, and the `/openai/v1/…` paths whose body names the model. The deployment (in the path)
/// and the `api-version` (in the query) are part of the key. The client's key arrives in `api-key`, or as
/// an Entra ID token in `Authorization: Bearer`.
///
/// An Entra token changes every hour or so, and with it the namespace its requests cache in; clients that
/// should share entries across token refreshes use `X-Reprise-Namespace` within a shared namespace
/// (`namespace.shared`), or an `api-key`.
public struct AzureOpenAIProvider: Provider {
    public init() {}

    private let openAI = OpenAIProvider()

    public var name: String { "azure" }

    /// Azure's URL is per resource: there is no public default.
    public var defaultUpstreamURL: String? { nil }

    static let deploymentOperations: [(suffix: String, kind: String)] = [
        ("chat/completions", "chat"), ("completions", "completions"), ("embeddings", "embeddings"), ("responses", "responses"),
    ]

    public var routes: [String] {
        Self.deploymentOperations.flatMap { ["/openai/deployments/{deployment}/\($0.suffix)", "/openai/v1/\($0.suffix)"] }
    }

    public func operation(for request: ProviderRequestHead) -> ProviderOperation? {
        guard request.method == "POST", request.path.hasPrefix("/openai/") else { return nil }
        let segments = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst(2)
        if segments.first == "v1" {
            let suffix = segments.dropFirst().joined(separator: "/")
            guard let kind = Self.deploymentOperations.first(where: { $0.suffix == suffix })?.kind else { return nil }
            return ProviderOperation(kind: kind, route: "/openai/v1/\(suffix)", keyedPath: request.path, matchesSemantically: kind != "embeddings")
        }
        guard segments.first == "deployments", segments.count >= 3 else { return nil }
        let deployment = String(segments[segments.startIndex + 1])
        let suffix = segments.dropFirst(2).joined(separator: "/")
        guard !deployment.isEmpty, let kind = Self.deploymentOperations.first(where: { $0.suffix == suffix })?.kind else { return nil }
        return ProviderOperation(
            kind: kind, route: "/openai/deployments/{deployment}/\(suffix)", keyedPath: request.path, pathModel: deployment,
            matchesSemantically: kind != "embeddings")
    }

    public func passThroughClaim(for request: ProviderRequestHead) -> PassThroughClaim? {
        request.path.hasPrefix("/openai/") ? .ownPath : nil
    }

    public func credential(in request: ProviderRequestHead) -> String? {
        if let key = request.header("api-key") { return key }
        return ClientCredentials.bearerOrKey(in: request)
    }

    public var credentialHeaders: [String] { ["api-key", "authorization"] }

    public var upstreamCredential: UpstreamCredentialPlacement { .header(name: "api-key", prefix: "") }

    /// The deployment stands for the model when the body names none.
    public func model(of body: JSONValue, for operation: ProviderOperation) -> String? {
        operation.pathModel ?? body["model"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    }

    public func validate(_ body: JSONValue, for operation: ProviderOperation) throws(ProviderBodyError) {
        try openAI.validate(body, for: operation)
    }

    public func providerStateReason(_ body: JSONValue, for operation: ProviderOperation) -> String? {
        openAI.providerStateReason(body, for: operation)
    }

    public func usage(of answer: JSONValue) -> TokenUsage? { openAI.usage(of: answer) }

    /// A deployment has the name its owner chose; the answer names the model that really ran.
    public func pricedModel(requestModel: String, answer: JSONValue?) -> String {
        guard let model = answer?["model"]?.stringValue, !model.isEmpty else { return requestModel }
        return model
    }

    public func errorBody(_ error: ProviderError) -> JSONValue { openAI.errorBody(error) }

    public func makeAssembler(for operation: ProviderOperation) -> (any StreamAssembler)? { openAI.makeAssembler(for: operation) }

    public func replay(_ answer: JSONValue, for operation: ProviderOperation, request: JSONValue) -> [ServerSentEvent]? {
        openAI.replay(answer, for: operation, request: request)
    }

    public func bodyForRecording(_ body: JSONValue, for operation: ProviderOperation) -> JSONValue? {
        openAI.bodyForRecording(body, for: operation)
    }

    public func hidesUsageChunk(from body: JSONValue, for operation: ProviderOperation) -> Bool {
        openAI.hidesUsageChunk(from: body, for: operation)
    }

    public func lastUserTurn(in body: JSONValue, replacingWith placeholder: JSONValue) -> (text: String, body: JSONValue)? {
        openAI.lastUserTurn(in: body, replacingWith: placeholder)
    }
}
