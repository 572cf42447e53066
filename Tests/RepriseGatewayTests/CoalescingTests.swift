import HTTPTypes
import HummingbirdTesting
import NIOHTTP1
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// Concurrent identical requests make one upstream call.
@Suite struct CoalescingTests {
    static let slow = FakeUpstreamBehavior(latency: .milliseconds(300))

    @Test(arguments: [false, true])
    func fiftyConcurrentIdenticalRequestsMakeOneUpstreamCall(streamed: Bool) async throws {
        let body = GatewayHarness.chatBody("What are your opening hours?", stream: streamed)
        try await GatewayHarness.run(upstream: FakeUpstream(behavior: Self.slow)) { gateway in
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<50 { group.addTask { try await gateway.post("/v1/chat/completions", json: body) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
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
        try await GatewayHarness.run(upstream: FakeUpstream(behavior: Self.slow)) { gateway in
            let responses = try await withThrowingTaskGroup(of: (Bool, TestResponse).self) { group in
                for index in 0..<50 {
                    let streamed = index % 2 == 0
                    let body = GatewayHarness.chatBody("Mixed burst.", stream: streamed)
                    group.addTask { (streamed, try await gateway.post("/v1/chat/completions", json: body)) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
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
        let upstream = FakeUpstream(behavior: FakeUpstreamBehavior(latency: .milliseconds(300), failuresRemaining: 1, failureStatus: 500))
        try await GatewayHarness.run(upstream: upstream) { gateway in
            let body = GatewayHarness.chatBody("Fail together.")
            let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<10 { group.addTask { try await gateway.post("/v1/chat/completions", json: body) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
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
        try await GatewayHarness.run(upstream: FakeUpstream(behavior: Self.slow)) { gateway in
            let body = GatewayHarness.chatBody("Leader leaves.", stream: true)
            let leader = Task { try await gateway.post("/v1/chat/completions", json: body) }
            try await Task.sleep(for: .milliseconds(50))
            let follower = Task { try await gateway.post("/v1/chat/completions", json: body) }
            try await Task.sleep(for: .milliseconds(50))
            leader.cancel()
            let answer = try await follower.value
            #expect(answer.status == .ok)
            #expect(answer.repriseStatus == "coalesced")
            #expect(SSE.endsWithDone(answer.text))
            #expect(gateway.upstream.callCount() == 1)
        }
    }

    @Test func theLeadersUpstreamCallOutlivesItsConnection() async throws {
        let upstream = FakeUpstream(behavior: FakeUpstreamBehavior(latency: .seconds(1)))
        try await GatewayHarness.run(.live, upstream: upstream, configure: { $0.host = "127.0.0.1" }) { gateway in
            let port = try #require(gateway.client.port)
            let body = GatewayHarness.chatBody("Leader hangs up.", stream: true)
            let leader = Task { try await LiveStream.read(port: port, json: body) }
            // The followers arrive once the leader's upstream call is under way.
            try await InterruptedStreamTests.poll(for: .seconds(2)) { gateway.upstream.callCount() == 1 }
            let followers = Task {
                try await withThrowingTaskGroup(of: LiveStream.self) { group in
                    for _ in 0..<5 { group.addTask { try await LiveStream.read(port: port, json: body) } }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            // The leader's client hangs up while the upstream is still thinking.
            leader.cancel()
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
        try await GatewayHarness.run(
            upstream: FakeUpstream(behavior: Self.slow), configure: { $0.adminToken = "admin" }
        ) { gateway in
            let body = GatewayHarness.chatBody("Count me.")
            _ = try await withThrowingTaskGroup(of: TestResponse.self) { group in
                for _ in 0..<5 { group.addTask { try await gateway.post("/v1/chat/completions", json: body) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let stats = try await gateway.get("/admin/stats", headers: .bearer("admin")).json()
            #expect(stats["coalesced"]?.intValue == 4)
            #expect(stats["misses"]?.intValue == 1)
            #expect(stats["saved"]?["tokens"]?.intValue ?? 0 > 0)
        }
    }
}
