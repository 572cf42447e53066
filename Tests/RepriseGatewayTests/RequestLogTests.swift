import Foundation
import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// The JSONL request log: one line per request, savings priced, credentials never written, bodies only
/// when asked for.
@Suite struct RequestLogTests {
    static let credential = "sk-log-credential-5c1d"
    static let prompt = "Describe the migration of arctic terns."

    /// Makes a miss and a hit, then returns the log's lines once both are written.
    static func missThenHit(logsBodies: Bool, in directory: String) async throws -> (lines: [JSONValue], text: String) {
        let path = directory + "/requests.jsonl"
        try await GatewayHarness.run(configure: {
            $0.requestLogPath = path
            $0.logsBodies = logsBodies
        }) { gateway in
            try await gateway.chat(Self.prompt, headers: .bearer(Self.credential))
            try await gateway.chat(Self.prompt, headers: .bearer(Self.credential))
            // The log is written by a background service; give it a moment.
            var attempts = 0
            while try Self.lines(at: path).count < 2, attempts < 200 {
                attempts += 1
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return (try lines(at: path).map { try JSONParser.parse($0) }, text)
    }

    static func lines(at path: String) throws -> [String] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init)
    }

    @Test func missAndHitAreLoggedWithTokensAndSavings() async throws {
        try await withTemporaryDirectory { directory in
            let (lines, text) = try await Self.missThenHit(logsBodies: false, in: directory)
            try #require(lines.count == 2)
            let (miss, hit) = (lines[0], lines[1])
            #expect(miss["cache_status"]?.stringValue == "miss")
            #expect(hit["cache_status"]?.stringValue == "hit")
            #expect(miss["route"]?.stringValue == "/v1/chat/completions")
            #expect(miss["model"]?.stringValue == "gpt-4o-mini")
            #expect(miss["http_status"]?.intValue == 200)
            #expect(miss["key"] == hit["key"])
            #expect(miss["namespace"] == hit["namespace"])

            let prompt = try #require(miss["prompt_tokens"]?.intValue)
            let completion = try #require(miss["completion_tokens"]?.intValue)
            #expect(prompt > 0 && completion > 0)
            #expect(hit["prompt_tokens"]?.intValue == prompt)
            #expect(hit["saved_tokens"]?.intValue == prompt + completion)
            let cost = try #require(miss["cost_usd"]?.doubleValue)
            #expect(cost > 0)
            #expect(miss["saved_usd"]?.doubleValue == 0)
            #expect(hit["saved_usd"]?.doubleValue == cost)
            #expect(hit["cost_usd"]?.doubleValue == 0)
            #expect(miss["priced"]?.boolValue == true)

            #expect(miss["request_body"] == nil && miss["response_body"] == nil)
            #expect(hit["request_body"] == nil && hit["response_body"] == nil)
            #expect(!text.contains(Self.credential))
            #expect(!text.contains("arctic terns"))
        }
    }

    @Test func bodiesAreLoggedWhenConfigured() async throws {
        try await withTemporaryDirectory { directory in
            let (lines, text) = try await Self.missThenHit(logsBodies: true, in: directory)
            try #require(lines.count == 2)
            for line in lines {
                #expect(line["request_body"]?.stringValue?.contains(Self.prompt) == true)
                #expect(line["response_body"]?.stringValue?.contains("chatcmpl-fake-1") == true)
            }
            #expect(!text.contains(Self.credential))
        }
    }

    @Test func namespaceIsTheHashedCredential() async throws {
        try await withTemporaryDirectory { directory in
            let (lines, _) = try await Self.missThenHit(logsBodies: false, in: directory)
            let expected = NamespaceResolver(secret: GatewayHarness.secret).namespace(credential: Self.credential)
            #expect(lines.first?["namespace"]?.stringValue == expected)
        }
    }

    @Test func streamedMissIsLoggedWhenItsStreamEnds() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/requests.jsonl"
            try await GatewayHarness.run(configure: { $0.requestLogPath = path }) { gateway in
                try await gateway.post("/v1/chat/completions", json: GatewayHarness.chatBody("Stream.", stream: true))
                var attempts = 0
                while try Self.lines(at: path).isEmpty, attempts < 200 {
                    attempts += 1
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            let line = try JSONParser.parse(try #require(try Self.lines(at: path).first))
            // A streamed miss is logged when its stream ends, with what it cost.
            #expect(line["cache_status"]?.stringValue == "miss")
            #expect(line["stream"]?.boolValue == true)
            #expect(line["key"]?.stringValue?.count == 64)
            #expect(line["reason"] == nil)
        }
    }

    @Test func streamedRequestBypassedByARuleIsLoggedAsABypass() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/requests.jsonl"
            try await GatewayHarness.run(configure: {
                $0.requestLogPath = path
                $0.policy.rules = [PolicyRule(name: "agents", model: Glob("agent-*"), action: .bypass)]
            }) { gateway in
                let response = try await gateway.post(
                    "/v1/chat/completions", json: GatewayHarness.chatBody("Stream.", model: "agent-7", stream: true))
                #expect(response.repriseStatus == "bypass")
                #expect(SSE.endsWithDone(response.text))
                var attempts = 0
                while try Self.lines(at: path).isEmpty, attempts < 200 {
                    attempts += 1
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(try await gateway.storedEntries() == 0)
            }
            let line = try JSONParser.parse(try #require(try Self.lines(at: path).first))
            #expect(line["cache_status"]?.stringValue == "bypass")
            #expect(line["stream"]?.boolValue == true)
            #expect(line["reason"]?.stringValue == "agents")
            #expect(line["model"]?.stringValue == "agent-7")
        }
    }
}
