import Reprise

/// The behaviour every provider must show through the gateway, as one shared suite: each provider runs the
/// same named checks against its own fake upstream, so a new provider adds one test line and a driver.
///
/// ```swift
/// @Test(arguments: ProviderConformance.Check.allCases)
/// func gemini(_ check: ProviderConformance.Check) async throws {
///     try await withGateway { gateway in
///         try await ProviderConformance.run(check, driver: GeminiConformanceDriver(), gateway: gateway)
///     }
/// }
/// ```
///
/// The gateway under test must answer from a ``FakeUpstream`` (which scripts failures by model name:
/// `error-<status>`, `cut-stream`), hold an admin token, price the driver's model, and report what it logged
/// and wrote to its request log (``ConformanceGateway``).
public enum ProviderConformance {
    /// One requirement, checked on its own.
    public enum Check: String, CaseIterable, Sendable, CustomStringConvertible {
        case missThenHit
        case streamedMissThenStreamedReplay
        case streamAndWholeShareAnEntry
        case interruptedStreamIsNotStored
        case upstreamErrorsPassThroughUncached
        case usageAndDollarsAccountedOnHits
        case credentialsNeverShareAnEntry
        case credentialNeverInKeyLogOrMetric

        public var description: String {
            switch self {
            case .missThenHit: "a repeat is a hit with the same answer, and the upstream is called once"
            case .streamedMissThenStreamedReplay: "a streamed repeat is replayed with the same text, without a second upstream call"
            case .streamAndWholeShareAnEntry: "a streamed and a whole request for the same prompt share one entry"
            case .interruptedStreamIsNotStored: "a stream that breaks off is not stored"
            case .upstreamErrorsPassThroughUncached: "an upstream 4xx or 5xx reaches the client in the provider's error shape, uncached"
            case .usageAndDollarsAccountedOnHits: "a hit is accounted with the tokens and dollars it saved"
            case .credentialsNeverShareAnEntry: "two credentials never share an entry"
            case .credentialNeverInKeyLogOrMetric: "the credential is never in a key, a log line, the request log or a metric"
            }
        }
    }

    /// Runs `check` for the provider `driver` speaks against `gateway`, new and running, with an empty cache.
    /// - Throws: ``ProviderConformanceFailure`` naming the check and what went wrong; or whatever the
    ///   gateway throws.
    public static func run(_ check: Check, driver: some ProviderConformanceDriver, gateway: any ConformanceGateway) async throws {
        let probe = ProviderProbe(check: check, driver: driver, gateway: gateway)
        switch check {
        case .missThenHit: try await probe.checkMissThenHit()
        case .streamedMissThenStreamedReplay: try await probe.checkStreamedReplay()
        case .streamAndWholeShareAnEntry: try await probe.checkStreamAndWholeShare()
        case .interruptedStreamIsNotStored: try await probe.checkInterruptedStream()
        case .upstreamErrorsPassThroughUncached: try await probe.checkUpstreamErrors()
        case .usageAndDollarsAccountedOnHits: try await probe.checkAccounting()
        case .credentialsNeverShareAnEntry: try await probe.checkCredentialIsolation()
        case .credentialNeverInKeyLogOrMetric: try await probe.checkCredentialNeverLeaks()
        }
    }
}

/// A provider that broke one of the ``ProviderConformance`` checks: which one, and how.
public struct ProviderConformanceFailure: Error, Sendable, CustomStringConvertible {
    public let check: ProviderConformance.Check
    public let provider: String
    public let message: String

    public var description: String {
        "Provider conformance check '\(check.rawValue)' failed for \(provider): \(message)"
    }
}
