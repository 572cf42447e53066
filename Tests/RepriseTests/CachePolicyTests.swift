import Reprise
import Testing

@Suite struct CachePolicyTests {
    func request(
        route: String = "/v1/chat/completions", model: String = "gpt-4o", headers: [String: String] = [:],
        prompt: String = "Explain photosynthesis in two sentences."
    ) -> PolicyRequest {
        PolicyRequest(route: route, model: model, headers: headers, prompt: PromptText(all: prompt, user: prompt))
    }

    func controls(cacheControl: String? = nil, timeToLive: String? = nil) throws -> RequestControls {
        try RequestControls(cacheControl: cacheControl, timeToLive: timeToLive, namespace: nil)
    }

    @Test func defaultIsFiveMinutesServedAndStored() throws {
        let decision = CachePolicy().decision(for: request(), controls: RequestControls())
        #expect(CachePolicy().defaultTimeToLive == .seconds(300))
        #expect(decision == CacheDecision(mayServe: true, mayStore: true, timeToLive: .seconds(300)))
        #expect(!decision.isBypass)
    }

    @Test func firstMatchingRuleWins() {
        let policy = CachePolicy(rules: [
            PolicyRule(name: "embeddings", route: Glob("/v1/embeddings"), action: .timeToLive(.seconds(3600))),
            PolicyRule(name: "gpt-4o family", model: Glob("gpt-4o*"), action: .timeToLive(.seconds(600))),
            PolicyRule(name: "everything under v1", route: Glob("/v1/*"), action: .timeToLive(.seconds(60))),
        ])
        let none = RequestControls()
        #expect(policy.decision(for: request(route: "/v1/embeddings", model: "gpt-4o"), controls: none).timeToLive == .seconds(3600))
        #expect(policy.decision(for: request(model: "gpt-4o-mini"), controls: none).timeToLive == .seconds(600))
        #expect(policy.decision(for: request(model: "claude-sonnet-4-5"), controls: none).timeToLive == .seconds(60))
        #expect(policy.decision(for: request(route: "/v2/chat", model: "claude-sonnet-4-5"), controls: none).timeToLive == .seconds(300))
    }

    @Test func modelGlobIgnoresCaseAndMatchesOneCharacterWithQuestionMark() {
        let policy = CachePolicy(rules: [PolicyRule(name: "minis", model: Glob("GPT-4?-MINI*"), action: .bypass)])
        #expect(policy.decision(for: request(model: "gpt-4o-mini"), controls: RequestControls()).isBypass)
        #expect(policy.decision(for: request(model: "gpt-4o-mini-2024-07-18"), controls: RequestControls()).isBypass)
        #expect(!policy.decision(for: request(model: "gpt-4-mini"), controls: RequestControls()).isBypass)
        #expect(!policy.decision(for: request(model: "gpt-4o"), controls: RequestControls()).isBypass)
    }

    @Test func headerRuleMatchesOnPresenceOrOnValue() {
        let policy = CachePolicy(rules: [
            PolicyRule(name: "premium", headerName: "X-Tenant-Tier", headerValue: Glob("premium*"), action: .timeToLive(.seconds(3600))),
            PolicyRule(name: "any debug", headerName: "X-Debug", action: .bypass),
        ])
        let none = RequestControls()
        #expect(policy.decision(for: request(headers: ["x-tenant-tier": "Premium-EU"]), controls: none).timeToLive == .seconds(3600))
        #expect(policy.decision(for: request(headers: ["X-Tenant-Tier": "basic"]), controls: none).timeToLive == .seconds(300))
        #expect(policy.decision(for: request(headers: ["X-DEBUG": ""]), controls: none).bypassReason == "any debug")
        #expect(!policy.decision(for: request(), controls: none).isBypass)
    }

    @Test func promptRuleMatchesARegularExpressionAnywhereInThePrompt() throws {
        let policy = CachePolicy(rules: [
            PolicyRule(name: "invoices", prompt: try TextPattern(#"\binvoice\s+#?\d+"#, caseInsensitive: true), action: .bypass)
        ])
        #expect(policy.decision(for: request(prompt: "Show me Invoice #4411 please"), controls: RequestControls()).bypassReason == "invoices")
        #expect(!policy.decision(for: request(prompt: "How do invoices work?"), controls: RequestControls()).isBypass)
    }

    @Test func invalidRegularExpressionIsAConfigurationError() {
        #expect(throws: ConfigurationError.self) { try TextPattern("(unclosed") }
    }

    @Test func bypassRuleSkipsTheCacheBothWays() {
        let policy = CachePolicy(rules: [PolicyRule(name: "no caching for o1", model: Glob("o1*"), action: .bypass)])
        let decision = policy.decision(for: request(model: "o1-preview"), controls: RequestControls())
        #expect(decision.isBypass)
        #expect(!decision.mayServe)
        #expect(!decision.mayStore)
        #expect(decision.bypassReason == "no caching for o1")
    }

    @Test func presetsAreStaticStandardAndVolatile() {
        #expect(CachePolicy.builtInPresets["static"] == .timeToLive(.seconds(86_400)))
        #expect(CachePolicy.builtInPresets["standard"] == .timeToLive(.seconds(300)))
        #expect(CachePolicy.builtInPresets["volatile"] == .bypass)
        #expect(CachePolicy.builtInPresets.count == 3)
    }

    @Test func requestedTimeToLiveReplacesTheRulesInBothDirections() throws {
        let policy = CachePolicy(rules: [PolicyRule(name: "ten minutes", action: .timeToLive(.seconds(600)))])
        #expect(policy.decision(for: request(), controls: try controls(timeToLive: "120")).timeToLive == .seconds(120))
        #expect(policy.decision(for: request(), controls: try controls(timeToLive: "3600")).timeToLive == .seconds(3600))
    }

    @Test func requestedTimeToLiveNeverUndoesABypass() throws {
        let policy = CachePolicy(rules: [PolicyRule(name: "volatile", action: CachePolicy.builtInPresets["volatile"]!)])
        let decision = policy.decision(for: request(), controls: try controls(timeToLive: "600"))
        #expect(decision.isBypass)
        #expect(!decision.mayStore)
    }

    @Test func requestedTimeToLiveOfZeroMeansServeButDoNotStore() throws {
        let decision = CachePolicy().decision(for: request(), controls: try controls(timeToLive: "0"))
        #expect(decision.mayServe)
        #expect(!decision.mayStore)
        #expect(!decision.isBypass)
    }

    @Test func timeToLiveIsCappedAtTheMaximum() throws {
        let policy = CachePolicy(
            maximumTimeToLive: .seconds(3600), rules: [PolicyRule(name: "long", model: Glob("long"), action: .timeToLive(.seconds(172_800)))])
        #expect(policy.decision(for: request(), controls: try controls(timeToLive: "86400")).timeToLive == .seconds(3600))
        #expect(policy.decision(for: request(model: "long"), controls: RequestControls()).timeToLive == .seconds(3600))
        #expect(CachePolicy().maximumTimeToLive == .seconds(7 * 86_400))
    }

    @Test func noCacheSkipsTheLookupButStores() throws {
        let decision = CachePolicy().decision(for: request(), controls: try controls(cacheControl: "no-cache"))
        #expect(!decision.mayServe)
        #expect(decision.mayStore)
        #expect(!decision.isBypass)
    }

    @Test func noStoreServesButDoesNotStore() throws {
        let decision = CachePolicy().decision(for: request(), controls: try controls(cacheControl: "no-store"))
        #expect(decision.mayServe)
        #expect(!decision.mayStore)
    }

    @Test func maxAgeLimitsTheAgeServed() throws {
        let decision = CachePolicy().decision(for: request(), controls: try controls(cacheControl: "max-age=60"))
        #expect(decision.maximumAge == .seconds(60))
        #expect(decision.mayServe)
        #expect(decision.timeToLive == .seconds(300), "max-age limits what is served, not how long the answer is kept")
    }

    @Test func timeSensitivePromptIsShortenedButNeverLengthened() throws {
        let policy = CachePolicy(volatilityDetector: try VolatilityDetector())
        let shortened = policy.decision(for: request(prompt: "What is the latest iPhone?"), controls: RequestControls())
        #expect(shortened.timeToLive == .seconds(60))
        #expect(shortened.mayStore)
        #expect(shortened.volatility == .timeSensitive("latest"))

        let briefRule = CachePolicy(
            rules: [PolicyRule(name: "brief", action: .timeToLive(.seconds(10)))], volatilityDetector: try VolatilityDetector())
        #expect(briefRule.decision(for: request(prompt: "What is the latest iPhone?"), controls: RequestControls()).timeToLive == .seconds(10))
    }

    @Test func volatilityActionsBypassOrShorten() throws {
        let bypassTime = CachePolicy(volatilityDetector: try VolatilityDetector(timeAction: .bypass))
        let timeDecision = bypassTime.decision(for: request(prompt: "Any news today?"), controls: RequestControls())
        #expect(timeDecision.bypassReason == "time-sensitive")
        #expect(timeDecision.volatility == .timeSensitive("news"))

        let defaults = CachePolicy(volatilityDetector: try VolatilityDetector())
        let personal = defaults.decision(for: request(prompt: "Email bob@example.com the summary"), controls: RequestControls())
        #expect(personal.bypassReason == "personal-data")
        #expect(!personal.mayServe)

        let shortenPersonal = CachePolicy(
            volatilityDetector: try VolatilityDetector(personalAction: .shorten, personalTimeToLive: .seconds(30)))
        let shortened = shortenPersonal.decision(for: request(prompt: "Email bob@example.com the summary"), controls: RequestControls())
        #expect(shortened.timeToLive == .seconds(30))
        #expect(!shortened.isBypass)
        #expect(VolatilityDetector.Action(rawValue: "ttl") == .shorten)
        #expect(VolatilityDetector.Action(rawValue: "bypass") == .bypass)
    }
}
