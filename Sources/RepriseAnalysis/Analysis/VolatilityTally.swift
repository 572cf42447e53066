import Reprise

/// How many requests the volatility detector would keep out of the cache, with a few examples of each kind.
public struct VolatilityTally: Sendable, Hashable {
    public var timeSensitive = 0
    public var personalData = 0
    /// Up to ``exampleLimit`` prompts of each kind, shortened, with what was found in them.
    public var examples: [Example] = []

    public struct Example: Sendable, Hashable {
        public var kind: String
        public var found: String
        public var prompt: String
    }

    public static let exampleLimit = 3

    public init() {}

    mutating func count(_ finding: VolatilityDetector.Finding, prompt: String) {
        let found: String
        switch finding {
        case .timeSensitive(let match):
            timeSensitive += 1
            found = match
        case .personalData:
            personalData += 1
            // Personal data is never echoed into a report.
            found = "(redacted)"
        }
        guard examples.filter({ $0.kind == finding.kind }).count < Self.exampleLimit else { return }
        let shown = finding.kind == "personal-data" ? "(a prompt with personal data)" : String(prompt.prefix(120))
        examples.append(Example(kind: finding.kind, found: found, prompt: shown))
    }
}
