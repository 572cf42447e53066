import Reprise
import RepriseSemantic

/// A sample of a log's distinct prompts kept for semantic (near-duplicate) analysis, which is too slow to
/// run on every prompt of a large log: embedding costs milliseconds a text.
///
/// The sample is the `capacity` distinct prompts with the smallest exact digests ("bottom-k"): a uniform,
/// deterministic sample of distinct prompts. A prompt kept at the end was kept from its first occurrence on
/// (the admission bound only tightens), so its request count and first time are exact.
public struct NearDuplicateSample: Sendable {
    /// One distinct prompt of the sample.
    public struct Prompt: Sendable, Hashable {
        public var digest: UInt64
        /// The text compared by meaning: the last user turn.
        public var text: String
        /// Everything else, fingerprinted: only prompts of one scope are compared.
        public var scope: String
        public var firstTime: Double
        public var firstOrder: Int
        public var requests: Int
        public var dollars: Double
    }

    public let capacity: Int
    public private(set) var prompts: [UInt64: Prompt] = [:]
    /// Requests the analyzer offered with a comparable text (whether or not their prompt was kept).
    public private(set) var comparableRequests = 0
    /// The admission bound: the largest digest kept once the sample is full.
    private var largestKept: UInt64?

    public init(capacity: Int = 2_000) {
        self.capacity = max(1, capacity)
    }

    /// Offers one request: its exact digest, its text and scope, when it was made, what it cost.
    public mutating func offer(digest: UInt64, record: UsageRecord, time: Double, order: Int, dollars: Double) {
        if var prompt = prompts[digest] {
            prompt.requests += 1
            prompt.dollars += dollars
            prompts[digest] = prompt
            comparableRequests += 1
            return
        }
        if prompts.count >= capacity, let largestKept, digest >= largestKept {
            comparableRequests += Self.query(of: record) == nil ? 0 : 1
            return
        }
        guard let query = Self.query(of: record) else { return }
        comparableRequests += 1
        prompts[digest] = Prompt(digest: digest, text: query.text, scope: query.scope, firstTime: time, firstOrder: order, requests: 1, dollars: dollars)
        if prompts.count > capacity, let largest = prompts.keys.max() {
            prompts[largest] = nil
        }
        if prompts.count >= capacity { largestKept = prompts.keys.max() }
    }

    /// The text and scope of a record: from its body as the gateway's semantic cache would take them, or,
    /// for logs with text only, the whole prompt within its model and route.
    static func query(of record: UsageRecord) -> (text: String, scope: String)? {
        if let body = record.request {
            return SemanticQuery(body: body, namespace: PromptFingerprint.analysisNamespace, route: record.route).map { ($0.text, $0.scope) }
        }
        guard let text = record.promptText, !text.isEmpty else { return nil }
        let scope = CacheKeyBuilder().key(
            namespace: PromptFingerprint.analysisNamespace, route: record.route, body: ["model": record.model.map(JSONValue.string) ?? nil])
        return (text, scope.hex)
    }
}
