import Reprise
import Testing

/// Who decides whether a request may be answered semantically: the policy's default, then the matching
/// rule, then `X-Reprise-Semantic`; never past `no-cache`, a bypass, or anything the volatility detector found.
@Suite struct SemanticPolicyTests {
    let request = PolicyRequest(
        route: "/v1/chat/completions", model: "faq-bot", headers: [:],
        prompt: PromptText(all: "How do I reset my password?", user: "How do I reset my password?"))

    func controls(semantic: String? = nil, cacheControl: String? = nil) throws -> RequestControls {
        try RequestControls(cacheControl: cacheControl, timeToLive: nil, namespace: nil, semantic: semantic)
    }

    @Test func offByDefault() throws {
        let decision = CachePolicy().decision(for: request, controls: try controls())
        #expect(decision.semanticThreshold == nil)
        #expect(decision.semanticallyIndexable)
    }

    @Test func aRuleTurnsItOnAtItsThresholdOrTheDefault() throws {
        var policy = CachePolicy(rules: [PolicyRule(name: "faq", model: Glob("faq-*"), action: .defaultTimeToLive, semantic: .on)])
        policy.semanticThreshold = 0.93
        let decision = policy.decision(for: request, controls: try controls())
        #expect(decision.semanticThreshold == 0.93)
        #expect(decision.timeToLive == policy.defaultTimeToLive)
        policy.rules[0].semantic = .threshold(0.98)
        #expect(policy.decision(for: request, controls: try controls()).semanticThreshold == 0.98)
    }

    @Test func theHeaderOverridesTheRule() throws {
        var policy = CachePolicy(rules: [PolicyRule(name: "faq", model: Glob("faq-*"), action: .timeToLive(.seconds(60)), semantic: .on)])
        let off = policy.decision(for: request, controls: try controls(semantic: "off"))
        #expect(off.semanticThreshold == nil)
        #expect(!off.semanticallyIndexable)
        #expect(policy.decision(for: request, controls: try controls(semantic: "0.99")).semanticThreshold == 0.99)
        policy.rules[0].semantic = .off
        #expect(!policy.decision(for: request, controls: try controls()).semanticallyIndexable)
        #expect(policy.decision(for: request, controls: try controls(semantic: "on")).semanticThreshold == 0.96)
    }

    @Test func noCacheAndVolatilityKeepItOff() throws {
        var policy = CachePolicy()
        policy.semantic = .on
        #expect(policy.decision(for: request, controls: try controls(cacheControl: "no-cache")).semanticThreshold == nil)
        policy.volatilityDetector = try VolatilityDetector()
        let timely = PolicyRequest(
            route: "/v1/chat/completions", model: "faq-bot", headers: [:],
            prompt: PromptText(all: "What is the weather today?", user: "What is the weather today?"))
        let decision = policy.decision(for: timely, controls: try controls(semantic: "on"))
        #expect(decision.volatility != nil)
        #expect(decision.semanticThreshold == nil)
        #expect(!decision.semanticallyIndexable)
    }

    @Test(arguments: ["maybe", "1.5", "-0.1", "nan", ""])
    func aMalformedHeaderIsRefused(value: String) {
        #expect(throws: RequestControlError.self) { try controls(semantic: value) }
    }

    @Test func preferencesReadAsWritten() {
        #expect(SemanticPreference(text: " ON ") == .on)
        #expect(SemanticPreference(text: "false") == .off)
        #expect(SemanticPreference(text: "0.9") == .threshold(0.9))
        #expect(SemanticPreference(text: "1") == .threshold(1))
    }
}
