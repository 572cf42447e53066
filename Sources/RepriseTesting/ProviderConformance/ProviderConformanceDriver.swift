import Reprise

/// How to speak one provider's API, for ``ProviderConformance``: the requests its SDKs send and how its
/// answers read.
public protocol ProviderConformanceDriver: Sendable {
    /// The provider's name, for failure messages.
    var name: String { get }
    /// A model the gateway's price table prices.
    var pricedModel: String { get }
    /// A request asking `model` about `prompt`, from a client holding `credential`, streamed or not.
    func request(prompt: String, model: String, credential: String, stream: Bool) -> ConformanceRequest
    /// The answer's text in a whole answer, or `nil` when it holds none.
    func text(ofAnswer body: JSONValue) -> String?
    /// The answer's text in a streamed answer, or `nil` when the stream is not one of this provider's.
    func text(ofStream body: String) -> String?
    /// Whether `body` is an error in this provider's shape.
    func isError(_ body: JSONValue) -> Bool
}

/// A request as a client sends it.
public struct ConformanceRequest: Sendable {
    public var method: String
    /// The path with its query.
    public var target: String
    public var headers: [(name: String, value: String)]
    public var body: String

    public init(method: String = "POST", target: String, headers: [(name: String, value: String)], body: String) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }
}

/// An answer as a client receives it.
public struct ConformanceResponse: Sendable {
    public var status: Int
    /// By lower-cased name.
    public var headers: [String: String]
    public var body: String

    public init(status: Int, headers: [String: String], body: String) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// `X-Reprise-Status`.
    public var cacheStatus: String? { headers["x-reprise-status"] }
}

/// The gateway under test, as the suite sees it.
public protocol ConformanceGateway: Sendable {
    /// Sends `request` and waits for the whole answer.
    func send(_ request: ConformanceRequest) async throws -> ConformanceResponse
    /// Calls the fake upstream has received.
    var upstreamCalls: Int { get }
    /// `GET /admin/stats`, as JSON.
    func statistics() async throws -> JSONValue
    /// `GET /metrics`.
    func metrics() async throws -> String
    /// Every log line the gateway wrote, with its metadata, and its request log.
    func logText() async throws -> String
}
