import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Reprise
import RepriseGateway
import RepriseSemantic
@testable import RepriseServer
import RepriseTesting
import Testing

/// The gateway running in-process against a ``FakeUpstream`` on a loopback port, with a manual clock and
/// a memory store the test can inspect.
struct GatewayHarness: Sendable {
    /// The server secret every harness uses, so no state directory is written and namespaces are known.
    static let secret = [UInt8](repeating: 0x2A, count: 32)

    let client: any TestClientProtocol
    let upstream: FakeUpstream
    let clock: ManualClock
    let store: MemoryCacheStore<ManualClock>
    let configuration: GatewayConfiguration

    /// Starts a fake upstream, builds the gateway pointed at it (after `configure` has had its say), and
    /// runs `body` against it.
    /// - Parameters:
    ///   - setup: `.router` hands requests to the responder; `.live` sends them over a loopback socket.
    ///   - store: the store to use, so two gateways in a row can share one; a fresh one by default.
    static func run<T: Sendable>(
        _ setup: TestingSetup = .router, upstream: FakeUpstream = FakeUpstream(), clock: ManualClock = ManualClock(),
        store: MemoryCacheStore<ManualClock>? = nil, embedder: NamedEmbedder? = nil, verificationSampling: VerificationSampling = .random,
        logger: Logger? = nil, configure: @Sendable (inout GatewayConfiguration) throws -> Void = { _ in },
        _ body: @Sendable (GatewayHarness) async throws -> T
    ) async throws -> T {
        try await upstream.withRunning { baseURL in
            var configuration = GatewayConfiguration()
            configuration.upstreamURL = baseURL
            configuration.anthropicUpstreamURL = baseURL
            configuration.upstreams = [
                UpstreamSettings(name: "gemini", provider: "gemini", url: baseURL), UpstreamSettings(name: "azure", provider: "azure", url: baseURL),
            ]
            configuration.namespaceSecret = secret
            configuration.port = 0
            try configure(&configuration)
            let store = store ?? MemoryCacheStore(clock: clock)
            var quiet = Logger(label: "reprise.gateway-tests")
            quiet.logLevel = .error
            let logger = logger ?? quiet
            // Semantic matching on without a test's embedder: the one the settings name, as the composition root makes it.
            let embedder = configuration.semantic.isEnabled ? try embedder ?? SemanticEmbedderFactory.makeWithoutProbing(configuration.semantic) : embedder
            let app = try buildApplication(
                configuration: configuration, store: store, clock: clock, logger: logger, embedder: embedder, verificationSampling: verificationSampling)
            let configured = configuration
            return try await app.test(setup) { client in
                try await body(
                    GatewayHarness(client: client, upstream: upstream, clock: clock, store: store, configuration: configured))
            }
        }
    }

    /// Sends `json` as a `POST` with `Content-Type: application/json` unless `headers` name another type.
    @discardableResult
    func post(_ path: String, json: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var fields = headers
        if fields[.contentType] == nil { fields[.contentType] = "application/json" }
        return try await client.execute(uri: path, method: .post, headers: fields, body: ByteBuffer(string: json))
    }

    /// Asks for a chat completion answering `prompt`.
    @discardableResult
    func chat(_ prompt: String, model: String = "gpt-4o-mini", headers: HTTPFields = [:]) async throws -> TestResponse {
        try await post("/v1/chat/completions", json: Self.chatBody(prompt, model: model), headers: headers)
    }

    @discardableResult
    func get(_ path: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: headers)
    }

    @discardableResult
    func delete(_ path: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await client.execute(uri: path, method: .delete, headers: headers)
    }

    /// Returns once `count` requests wait on upstream calls (leaders included), as `/admin/stats` reports
    /// them; the gateway must have `adminToken` configured. Records an issue if that never happens.
    func waitUntilWaiting(_ count: Int, adminToken: String = Self.adminToken, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        var waiting = 0
        while ContinuousClock.now < deadline {
            let stats = try await get("/admin/stats", headers: .bearer(adminToken)).json()
            waiting = stats["in_flight"]?["waiting_requests"]?.intValue ?? -1
            if waiting == count { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("\(waiting) requests wait on upstream calls, not \(count)", sourceLocation: sourceLocation)
    }

    /// Returns once the gateway's background work (upstream calls, semantic indexing, verification) has all
    /// ended, as `/admin/stats` reports it: after this, what the background would have done is done. The
    /// gateway must have `adminToken` configured.
    func waitUntilBackgroundIsIdle(adminToken: String = Self.adminToken, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        var jobs = 0
        while ContinuousClock.now < deadline {
            let stats = try await get("/admin/stats", headers: .bearer(adminToken)).json()
            jobs = stats["in_flight"]?["background_jobs"]?.intValue ?? -1
            if jobs == 0 { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("\(jobs) background jobs still running after a minute", sourceLocation: sourceLocation)
    }

    /// The admin token tests that read `/admin/stats` configure.
    static let adminToken = "harness-admin-token"

    /// Entries the store holds now.
    func storedEntries() async throws -> Int {
        try await store.statistics().entries
    }

    /// A one-turn chat request body.
    static func chatBody(_ prompt: String, model: String = "gpt-4o-mini", stream: Bool = false) -> String {
        var body: [String: JSONValue] = ["model": .string(model), "messages": [["role": "user", "content": .string(prompt)]]]
        if stream { body["stream"] = true }
        return JSONValue.object(body).canonicalText
    }
}

extension HTTPFields {
    /// `Authorization: Bearer <credential>`.
    static func bearer(_ credential: String) -> HTTPFields {
        [.authorization: "Bearer \(credential)"]
    }
}

extension TestResponse {
    /// `X-Reprise-Status`: hit, miss, bypass, shadow…
    var repriseStatus: String? { headers[.repriseStatus] }
    var cacheStatus: String? { headers[.cacheStatus] }
    var cacheKey: String? { headers[.repriseKey] }
    var text: String { String(buffer: body) }
    var bytes: [UInt8] { Array(body.readableBytesView) }

    func json() throws -> JSONValue {
        try JSONParser.parse(body.readableBytesView)
    }

    /// The answer's `id`, which the fake upstream makes unique per call.
    var answerID: String? { (try? json())?["id"]?.stringValue }

    /// Checks that the response is an error the gateway made itself, in OpenAI's shape
    /// `{"error": {"message", "type", "param", "code"}}`.
    func expectOpenAIError(
        status expectedStatus: HTTPResponse.Status, code: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(status == expectedStatus, sourceLocation: sourceLocation)
        #expect(headers[.contentType] == "application/json", sourceLocation: sourceLocation)
        let error = try #require(try json()["error"]?.objectValue, "body: \(text)", sourceLocation: sourceLocation)
        #expect(Set(error.keys) == ["message", "type", "param", "code"], sourceLocation: sourceLocation)
        #expect(error["code"]?.stringValue == code, sourceLocation: sourceLocation)
        #expect(error["message"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(error["type"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
    }
}
