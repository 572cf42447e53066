import HTTPTypes
import HummingbirdTesting
import Reprise
import RepriseGateway
import RepriseTesting
import Testing

/// `/admin/stats` and `DELETE /admin/cache`, behind the admin token.
@Suite struct AdminAPITests {
    static let token = "admin-token-123"
    static let admin = HTTPFields.bearer(token)
    static let withToken: @Sendable (inout GatewayConfiguration) -> Void = { $0.adminToken = token }

    @Test func adminAPIIsAbsentWithoutAToken() async throws {
        try await GatewayHarness.run { gateway in
            let stats = try await gateway.get("/admin/stats", headers: Self.admin)
            try stats.expectOpenAIError(status: .notFound, code: "admin_disabled")
            let purge = try await gateway.delete("/admin/cache?all=true", headers: Self.admin)
            try purge.expectOpenAIError(status: .notFound, code: "admin_disabled")
        }
    }

    @Test(arguments: [HTTPFields.bearer("wrong-token"), HTTPFields.bearer(token + "4"), HTTPFields()])
    func wrongTokenIsRefused(_ headers: HTTPFields) async throws {
        try await GatewayHarness.run(configure: Self.withToken) { gateway in
            try await gateway.chat("Keep me.")
            let stats = try await gateway.get("/admin/stats", headers: headers)
            try stats.expectOpenAIError(status: .unauthorized, code: "admin_unauthorized")
            let purge = try await gateway.delete("/admin/cache?all=true", headers: headers)
            try purge.expectOpenAIError(status: .unauthorized, code: "admin_unauthorized")
            #expect(try await gateway.storedEntries() == 1)
        }
    }

    @Test func statsCountHitsMissesAndSavings() async throws {
        try await GatewayHarness.run(configure: Self.withToken) { gateway in
            let miss = try await gateway.chat("What is entropy?")
            try await gateway.chat("What is entropy?")
            let usage = try #require(TokenUsage(openAIResponse: try miss.json()))
            let total = try #require(try miss.json()["usage"]?["total_tokens"]?.intValue)
            #expect(usage.totalTokens == total)
            let price = try #require(PriceTable.builtIn.price(for: "gpt-4o-mini"))
            let expectedDollars =
                (Double(usage.promptTokens) * price.input + Double(usage.completionTokens) * price.output) / 1_000_000

            let response = try await gateway.get("/admin/stats", headers: Self.admin)
            #expect(response.status == .ok)
            let stats = try response.json()
            #expect(stats["requests"]?.intValue == 2)
            #expect(stats["hits"]?.intValue == 1)
            #expect(stats["misses"]?.intValue == 1)
            #expect(stats["hit_rate"]?.doubleValue == 0.5)
            #expect(stats["saved"]?["tokens"]?.intValue == total)
            let saved = try #require(stats["saved"]?["dollars"]?.doubleValue)
            #expect(abs(saved - expectedDollars) < 1e-9)
            #expect(saved > 0)
            #expect(stats["upstream"]?["calls"]?.intValue == 1)
            #expect(stats["store"]?["entries"]?.intValue == 1)
        }
    }

    @Test func purgeByKeyRemovesThatEntry() async throws {
        try await GatewayHarness.run(configure: Self.withToken) { gateway in
            let first = try await gateway.chat("Forget me.")
            try await gateway.chat("Keep me.")
            let key = try #require(first.cacheKey)
            let purge = try await gateway.delete("/admin/cache?key=\(key)", headers: Self.admin)
            #expect(purge.status == .ok)
            #expect(try purge.json()["removed"]?.intValue == 1)
            #expect(try await gateway.chat("Forget me.").repriseStatus == "miss")
            #expect(try await gateway.chat("Keep me.").repriseStatus == "hit")
        }
    }

    @Test func purgeByNamespaceRemovesOneCredentialsEntries() async throws {
        try await GatewayHarness.run(configure: Self.withToken) { gateway in
            var narrowed = HTTPFields.bearer("sk-alice")
            narrowed[.repriseNamespace] = "project-x"
            try await gateway.chat("Alice asks.", headers: .bearer("sk-alice"))
            try await gateway.chat("Alice asks in a project.", headers: narrowed)
            try await gateway.chat("Bob asks.", headers: .bearer("sk-bob"))
            let alice = NamespaceResolver(secret: GatewayHarness.secret).namespace(credential: "sk-alice")
            let purge = try await gateway.delete("/admin/cache?namespace=\(alice)", headers: Self.admin)
            #expect(try purge.json()["removed"]?.intValue == 2)
            #expect(try await gateway.chat("Alice asks.", headers: .bearer("sk-alice")).repriseStatus == "miss")
            #expect(try await gateway.chat("Alice asks in a project.", headers: narrowed).repriseStatus == "miss")
            #expect(try await gateway.chat("Bob asks.", headers: .bearer("sk-bob")).repriseStatus == "hit")
        }
    }

    @Test func purgeByModelRemovesThatModelsEntries() async throws {
        try await GatewayHarness.run(configure: Self.withToken) { gateway in
            try await gateway.chat("Compare.", model: "gpt-4o")
            try await gateway.chat("Compare.", model: "gpt-4o-mini")
            let purge = try await gateway.delete("/admin/cache?model=gpt-4o", headers: Self.admin)
            #expect(try purge.json()["removed"]?.intValue == 1)
            #expect(try await gateway.chat("Compare.", model: "gpt-4o").repriseStatus == "miss")
            #expect(try await gateway.chat("Compare.", model: "gpt-4o-mini").repriseStatus == "hit")
        }
    }

    @Test func purgeAllEmptiesTheCache() async throws {
        try await GatewayHarness.run(configure: Self.withToken) { gateway in
            try await gateway.chat("One.")
            try await gateway.chat("Two.")
            let purge = try await gateway.delete("/admin/cache?all=true", headers: Self.admin)
            #expect(try purge.json()["removed"]?.intValue == 2)
            #expect(try await gateway.storedEntries() == 0)
            #expect(try await gateway.chat("One.").repriseStatus == "miss")
        }
    }

    @Test(arguments: ["/admin/cache", "/admin/cache?all=false", "/admin/cache?key=not-hex"])
    func purgeThatNamesNothingIsRefused(_ uri: String) async throws {
        try await GatewayHarness.run(configure: Self.withToken) { gateway in
            try await gateway.chat("Survive.")
            let purge = try await gateway.delete(uri, headers: Self.admin)
            try purge.expectOpenAIError(status: .badRequest, code: "invalid_request_body")
            #expect(try await gateway.storedEntries() == 1)
        }
    }
}
