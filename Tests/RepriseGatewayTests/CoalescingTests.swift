import HTTPTypes
import HummingbirdTesting
import NIOHTTP1
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// Concurrent identical requests make one upstream call.
///
/// The fake upstream holds its answers until every request of a test waits on the flight, so each test sees
/// the same interleaving however busy the machine is.
@Suite(.timeLimit(.minutes(2))) struct CoalescingTests {
    static func admin(_ configuration: inout GatewayConfiguration) {
        configuration.adminToken = GatewayHarness.adminToken
    }

    /// Sends `bodies` at once while the upstream holds its answer; releases it once all of them wait on the flight.
    static func burst(_ gateway: GatewayHarness, _ bodies: [String]) async throws -> [TestResponse] {
        gateway.upstream.holdAnswers()
        return try await withThrowingTaskGroup(of: (Int, TestResponse).self) { group in
            for (index, body) in bodies.enumerated() {
                group.addTask { (index, try await gateway.post("/v1/chat/completions", json: body)) }
            }
            try await gateway.waitUntilWaiting(bodies.count)
            gateway.upstream.releaseAnswers()
            return try await group.reduce(into: []) { $0.append($1) }.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    @Test(arguments: [false, true])
    func fiftyConcurrentIdenticalRequestsMakeOneUpstreamCall(streamed: Bool) async throws {
        let body = GatewayHarness.chatBody("What are your opening hours?", stream: streamed)
        try await GatewayHarness.run(configure: Self.admin) { gateway in
            let responses = try await Self.burst(gateway, Array(repeating: body, count: 50))
            #expect(gateway.upstream.callCount() == 1)
            #expect(responses.allSatisfy { $0.status == .ok })
            let statuses = responses.map { $0.repriseStatus ?? "none" }
            #expect(statuses.filter { $0 == "miss" }.count == 1)
            #expect(statuses.filter { $0 == "coalesced" }.count == 49)
            if streamed {
                let texts = Set(responses.map { SSE.content(of: $0.text) })
                #expect(texts.count == 1)
                #expect(texts.first?.isEmpty == false)
                #expect(responses.allSatisfy { SSE.endsWithDone($0.text) })
            } else {
                #expect(Set(responses.map(\.bytes)).count == 1)
            }
            #expect(responses.filter { $0.repriseStatus == "coalesced" }.allSatisfy { $0.cacheStatus?.contains("collapsed") == true })
        }
    }

    @Test func streamedAndWholeRequestsShareOneCall() async throws {
        try await GatewayHarness.run(configure: Self.admin) { gateway in
            let streamed = (0..<50).map { $0 % 2 == 0 }
            let answers = try await Self.burst(gateway, streamed.map { GatewayHarness.chatBody("Mixed burst.", stream: $0) })
            let responses = Array(zip(streamed, answers))
            #expect(gateway.upstream.callCount() == 1)
            let statuses = responses.map { $0.1.repriseStatus ?? "none" }
            #expect(statuses.filter { $0 == "miss" }.count == 1)
            #expect(statuses.filter { $0 == "coalesced" }.count == 49)
            for (streamed, response) in responses {
                #expect(response.headers[.contentType]?.hasPrefix(streamed ? "text/event-stream" : "application/json") == true)
                if streamed { #expect(SSE.endsWithDone(response.text)) }
            }
            let texts = responses.map { streamed, response in
                streamed ? SSE.content(of: response.text)
                    : ((try? response.json())?["choices"]?.arrayValue?.first?["message"]?["content"]?.stringValue ?? "")
            }
            #expect(Set(texts).count == 1)
            #expect(texts.first?.isEmpty == false)
        }
    }

    @Test func aLeadersFailureReachesEveryFollowerOnce() async throws {
        let upstream = FakeUpstream(behavior: FakeUpstreamBehavior(failuresRemaining: 1, failureStatus: 500))
        try await GatewayHarness.run(upstream: upstream, configure: Self.admin) { gateway in
            let body = GatewayHarness.chatBody("Fail together.")
            let responses = try await Self.burst(gateway, Array(repeating: body, count: 10))
            #expect(gateway.upstream.callCount() == 1)
            #expect(responses.allSatisfy { $0.status.code == 500 })
            #expect(responses.allSatisfy { (try? $0.json())?["error"] != nil })
            #expect(try await gateway.storedEntries() == 0)
            let retry = try await gateway.post("/v1/chat/completions", json: body)
            #expect(retry.status == .ok)
            #expect(gateway.upstream.callCount() == 2)
        }
    }

    @Test func bypassedRequestsAreNeverCoalesced() async throws {
        try await GatewayHarness.run(
            upstream: FakeUpstream(behavior: FakeUpstreamBehavior(latency: .milliseconds(200))),
            configure: { $0.policy.rules = [PolicyRule(name: "no cache", model: Glob("gpt-4o-mini"), action: .bypass)] }
        ) { gateway in
            let body = GatewayHarness.chatBody("Never share me.")
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<10 { group.addTask { try await gateway.post("/v1/chat/completions", json: body) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(responses.allSatisfy { $0.repriseStatus == "bypass" })
            #expect(gateway.upstream.callCount() == 10)
        }
    }

    @Test func followersGetTheAnswerWhenTheLeadersClientLeaves() async throws {
        try await GatewayHarness.run(configure: Self.admin) { gateway in
            gateway.upstream.holdAnswers()
            let body = GatewayHarness.chatBody("Leader leaves.", stream: true)
            let leader = Task { try await gateway.post("/v1/chat/completions", json: body) }
            try await gateway.waitUntilWaiting(1)
            let follower = Task { try await gateway.post("/v1/chat/completions", json: body) }
            try await gateway.waitUntilWaiting(2)
            leader.cancel()
            _ = try? await leader.value
            gateway.upstream.releaseAnswers()
            let answer = try await follower.value
            #expect(answer.status == .ok)
            #expect(answer.repriseStatus == "coalesced")
            #expect(SSE.endsWithDone(answer.text))
            #expect(gateway.upstream.callCount() == 1)
        }
    }

    @Test func theLeadersUpstreamCallOutlivesItsConnection() async throws {
        try await GatewayHarness.run(.live, configure: { $0.host = "127.0.0.1"; Self.admin(&$0) }) { gateway in
            gateway.upstream.holdAnswers()
            let port = try #require(gateway.client.port)
            let body = GatewayHarness.chatBody("Leader hangs up.", stream: true)
            let leader = Task { try await LiveStream.read(port: port, json: body) }
            // The followers arrive once the leader's upstream call is under way.
            try await gateway.waitUntilWaiting(1)
            let followers = Task {
                try await withThrowingTaskGroup(of: LiveStream.self) { group in
                    for _ in 0..<5 { group.addTask { try await LiveStream.read(port: port, json: body) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            try await gateway.waitUntilWaiting(6)
            // The leader's client hangs up while the upstream is still thinking.
            leader.cancel()
            _ = try? await leader.value
            // Its socket is closed now; the upstream answers after that.
            gateway.upstream.releaseAnswers()
            let answers = try await followers.value
            #expect(answers.count == 5)
            for answer in answers {
                #expect(answer.status == 200)
                #expect(answer.failure == nil)
                #expect(answer.headers.first(name: "x-reprise-status") == "coalesced")
                #expect(SSE.endsWithDone(answer.text))
            }
            #expect(Set(answers.map { SSE.content(of: $0.text) }).count == 1)
            #expect(gateway.upstream.callCount() == 1)
            #expect(try await gateway.storedEntries() == 1)
        }
    }

    @Test func statisticsCountCoalescedRequests() async throws {
        try await GatewayHarness.run(configure: Self.admin) { gateway in
            let body = GatewayHarness.chatBody("Count me.")
            _ = try await Self.burst(gateway, Array(repeating: body, count: 5))
            let stats = try await gateway.get("/admin/stats", headers: .bearer(GatewayHarness.adminToken)).json()
            #expect(stats["coalesced"]?.intValue == 4)
            #expect(stats["misses"]?.intValue == 1)
            #expect(stats["saved"]?["tokens"]?.intValue ?? 0 > 0)
        }
    }
}
