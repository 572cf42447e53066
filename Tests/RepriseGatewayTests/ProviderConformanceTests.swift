import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// Every provider passes the same conformance checks, each against the fake upstream speaking its shape.
@Suite struct ProviderConformanceTests {
    @Test(arguments: ProviderConformance.Check.allCases)
    func openAI(_ check: ProviderConformance.Check) async throws {
        try await Self.run(check, driver: OpenAIConformanceDriver())
    }

    @Test(arguments: ProviderConformance.Check.allCases)
    func anthropic(_ check: ProviderConformance.Check) async throws {
        try await Self.run(check, driver: AnthropicConformanceDriver())
    }

    @Test(arguments: ProviderConformance.Check.allCases)
    func gemini(_ check: ProviderConformance.Check) async throws {
        try await Self.run(check, driver: GeminiConformanceDriver())
    }

    @Test(arguments: ProviderConformance.Check.allCases)
    func azure(_ check: ProviderConformance.Check) async throws {
        try await Self.run(check, driver: AzureConformanceDriver())
    }

    static let adminToken = "conformance-admin-token-0123"

    /// A gateway on the fake upstream that logs everything it can (debug lines included) and keeps a request
    /// log, so the checks can look for what must not be there.
    static func run(_ check: ProviderConformance.Check, driver: some ProviderConformanceDriver) async throws {
        let record = RecordingLogHandler.Record()
        var logger = Logger(label: "reprise.conformance") { _ in RecordingLogHandler(record: record) }
        logger.logLevel = .trace
        try await withTemporaryDirectory { directory in
            let requestLog = directory + "/requests.jsonl"
            try await GatewayHarness.run(logger: logger, configure: { configuration in
                configuration.adminToken = adminToken
                configuration.requestLogPath = requestLog
            }) { harness in
                let gateway = HarnessGateway(harness: harness, record: record, requestLog: requestLog)
                try await ProviderConformance.run(check, driver: driver, gateway: gateway)
            }
        }
    }
}

/// The in-process gateway as the conformance suite sees it.
struct HarnessGateway: ConformanceGateway {
    let harness: GatewayHarness
    let record: RecordingLogHandler.Record
    let requestLog: String

    func send(_ request: ConformanceRequest) async throws -> ConformanceResponse {
        var fields = HTTPFields()
        for (name, value) in request.headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        let response = try await harness.client.execute(
            uri: request.target, method: HTTPRequest.Method(request.method)!, headers: fields, body: ByteBuffer(string: request.body))
        var headers: [String: String] = [:]
        for field in response.headers { headers[field.name.canonicalName] = field.value }
        return ConformanceResponse(status: Int(response.status.code), headers: headers, body: String(buffer: response.body))
    }

    var upstreamCalls: Int { harness.upstream.callCount() }

    func statistics() async throws -> JSONValue {
        try await harness.get("/admin/stats", headers: .bearer(ProviderConformanceTests.adminToken)).json()
    }

    func metrics() async throws -> String {
        try await harness.get("/metrics").text
    }

    func logText() async throws -> String {
        let logged = FileManager.default.contents(atPath: requestLog).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return record.text + "\n" + logged
    }
}
