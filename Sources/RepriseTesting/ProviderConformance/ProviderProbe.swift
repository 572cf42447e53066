import Foundation
import Reprise

/// One provider check against one gateway, with assertions that fail naming the check.
struct ProviderProbe<Driver: ProviderConformanceDriver>: Sendable {
    let check: ProviderConformance.Check
    let driver: Driver
    let gateway: any ConformanceGateway

    func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws(ProviderConformanceFailure) {
        if !condition { throw ProviderConformanceFailure(check: check, provider: driver.name, message: message()) }
    }

    /// A prompt no other check or run has asked.
    func prompt(_ topic: String) -> String {
        "\(topic) \(UUID().uuidString.prefix(8))"
    }

    func send(_ prompt: String, model: String? = nil, credential: String = "conformance-client", stream: Bool = false) async throws -> ConformanceResponse {
        try await gateway.send(driver.request(prompt: prompt, model: model ?? driver.pricedModel, credential: credential, stream: stream))
    }

    func answerText(_ response: ConformanceResponse) throws -> String? {
        guard let json = try? JSONParser.parse(response.body) else { return nil }
        return driver.text(ofAnswer: json)
    }

    func checkMissThenHit() async throws {
        let prompt = prompt("Name three lighthouses.")
        let first = try await send(prompt)
        try expect(first.status == 200, "the first answer has status \(first.status): \(first.body)")
        try expect(first.cacheStatus == "miss", "the first answer is '\(first.cacheStatus ?? "unmarked")', not a miss")
        let second = try await send(prompt)
        try expect(second.cacheStatus == "hit", "the repeat is '\(second.cacheStatus ?? "unmarked")', not a hit")
        let text = try answerText(first)
        try expect(text?.isEmpty == false, "the answer holds no text: \(first.body)")
        try expect(try answerText(second) == text, "the hit's text differs from the answer's")
        try expect(gateway.upstreamCalls == 1, "the upstream was called \(gateway.upstreamCalls) times, not once")
    }

    func checkStreamedReplay() async throws {
        let prompt = prompt("Tell a short story about tides.")
        let first = try await send(prompt, stream: true)
        try expect(first.status == 200 && first.cacheStatus == "miss", "the streamed miss is \(first.status) '\(first.cacheStatus ?? "")'")
        let live = driver.text(ofStream: first.body)
        try expect(live?.isEmpty == false, "the live stream holds no text: \(first.body.prefix(300))")
        let second = try await send(prompt, stream: true)
        try expect(second.cacheStatus == "hit", "the streamed repeat is '\(second.cacheStatus ?? "unmarked")', not a hit")
        try expect(second.headers["content-type"]?.hasPrefix("text/event-stream") == true, "the replay is not an event stream")
        try expect(driver.text(ofStream: second.body) == live, "the replay's text differs from the live stream's")
        try expect(gateway.upstreamCalls == 1, "the upstream was called \(gateway.upstreamCalls) times, not once")
    }

    func checkStreamAndWholeShare() async throws {
        let prompt = prompt("Explain how a siphon works.")
        let streamed = try await send(prompt, stream: true)
        try expect(streamed.cacheStatus == "miss", "the streamed request is '\(streamed.cacheStatus ?? "")', not a miss")
        let whole = try await send(prompt)
        try expect(whole.cacheStatus == "hit", "the whole request after the stream is '\(whole.cacheStatus ?? "")', not a hit")
        try expect(try answerText(whole) == driver.text(ofStream: streamed.body), "the whole answer's text differs from the stream's")
        try expect(gateway.upstreamCalls == 1, "the upstream was called \(gateway.upstreamCalls) times, not once")
    }

    func checkInterruptedStream() async throws {
        let prompt = prompt("Count slowly to twenty.")
        _ = try? await send(prompt, model: "cut-stream", stream: true)
        let again = try? await send(prompt, model: "cut-stream", stream: true)
        try expect(again?.cacheStatus != "hit", "a stream that broke off was served again as a hit")
        try expect(gateway.upstreamCalls == 2, "the upstream was called \(gateway.upstreamCalls) times, not twice")
    }

    func checkUpstreamErrors() async throws {
        for status in [400, 500] {
            let prompt = prompt("Fail with \(status).")
            for stream in [false, true] {
                let before = gateway.upstreamCalls
                for _ in 0..<2 {
                    let answer = try await send(prompt, model: "error-\(status)", stream: stream)
                    try expect(answer.status == status, "the upstream's \(status) reached the client as \(answer.status)")
                    let json = try? JSONParser.parse(answer.body)
                    try expect(json.map(driver.isError) ?? false, "the \(status) is not in the provider's error shape: \(answer.body)")
                    try expect(answer.cacheStatus != "hit", "an upstream \(status) was served from the cache")
                }
                try expect(gateway.upstreamCalls == before + 2, "the upstream's \(status) was cached (stream: \(stream))")
            }
        }
    }

    func checkAccounting() async throws {
        let prompt = prompt("Summarise the water cycle.")
        _ = try await send(prompt)
        let before = try await gateway.statistics()
        let hit = try await send(prompt)
        try expect(hit.cacheStatus == "hit", "the repeat is '\(hit.cacheStatus ?? "")', not a hit")
        let after = try await gateway.statistics()
        let tokens = (after["saved"]?["tokens"]?.intValue ?? 0) - (before["saved"]?["tokens"]?.intValue ?? 0)
        let dollars = (after["saved"]?["dollars"]?.doubleValue ?? 0) - (before["saved"]?["dollars"]?.doubleValue ?? 0)
        try expect(tokens > 0, "the hit saved \(tokens) tokens by /admin/stats")
        try expect(dollars > 0, "the hit saved $\(dollars) by /admin/stats (is '\(driver.pricedModel)' priced?)")
        let unpriced = after["unpriced_models"]?.arrayValue ?? []
        try expect(!unpriced.contains(.string(driver.pricedModel)), "'\(driver.pricedModel)' is reported unpriced")
    }

    func checkCredentialIsolation() async throws {
        let prompt = prompt("What is the capital of Peru?")
        let alice = try await send(prompt, credential: "alice-key-0001")
        try expect(alice.cacheStatus == "miss", "alice's first request is '\(alice.cacheStatus ?? "")'")
        let bob = try await send(prompt, credential: "bob-key-0002")
        try expect(bob.cacheStatus == "miss", "bob was served alice's entry ('\(bob.cacheStatus ?? "")')")
        let aliceAgain = try await send(prompt, credential: "alice-key-0001")
        try expect(aliceAgain.cacheStatus == "hit", "alice's repeat is '\(aliceAgain.cacheStatus ?? "")', not a hit")
        try expect(alice.headers["x-reprise-key"] != bob.headers["x-reprise-key"], "alice and bob got the same key")
    }

    func checkCredentialNeverLeaks() async throws {
        let credential = "sk-conformance-\(UUID().uuidString)"
        let prompt = prompt("Keep this secret.")
        var answers: [ConformanceResponse] = []
        for stream in [false, true, false] { answers.append(try await send(prompt, credential: credential, stream: stream)) }
        answers.append(try await send(prompt, model: "error-500", credential: credential))
        for answer in answers {
            try expect(!answer.headers.values.contains { $0.contains(credential) }, "an answer's headers hold the credential")
            try expect(answer.headers["x-reprise-key"].map { !$0.contains(credential) } ?? true, "the key holds the credential")
        }
        let metrics = try await gateway.metrics()
        try expect(!metrics.contains(credential), "/metrics holds the credential")
        let logs = try await gateway.logText()
        try expect(!logs.isEmpty, "the gateway logged nothing, so the check proves nothing")
        try expect(!logs.contains(credential), "a log line or the request log holds the credential")
        let stats = try await gateway.statistics()
        try expect(!stats.canonicalText.contains(credential), "/admin/stats holds the credential")
    }
}
