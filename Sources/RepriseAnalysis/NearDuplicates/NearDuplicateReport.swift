import RepriseSemantic

/// What a semantic cache would add to exact matching on a sample of a log: prompts whose first occurrence
/// has an earlier prompt of the same scope close enough in meaning (at ``threshold``, no guard vetoing) to be
/// served its answer.
public struct NearDuplicateReport: Sendable {
    /// A near-duplicate found: the later prompt, the earlier one it would be served from, and how similar.
    public struct Example: Sendable, Hashable {
        public var prompt: String
        public var matched: String
        public var similarity: Double
    }

    public var threshold: Double
    public var guards: Set<SemanticGuard>
    /// Distinct prompts in the sample, and the requests they account for.
    public var sampledPrompts: Int
    public var sampledRequests: Int
    /// Requests the log offered with a comparable text, sampled or not.
    public var comparableRequests: Int
    /// Distinct prompts whose first occurrence would be a semantic hit.
    public var nearDuplicatePrompts: Int
    /// Near misses the guards kept apart (similar enough, but differing in numbers, negation and so on).
    public var vetoedByGuards: Int
    /// Dollars the semantic hits would save (each near-duplicate prompt's first occurrence).
    public var nearDuplicateDollars: Double
    public var examples: [Example]

    /// Requests that repeat an earlier one exactly, within the sample.
    public var exactRepeatRate: Double { sampledRequests == 0 ? 0 : Double(sampledRequests - sampledPrompts) / Double(sampledRequests) }
    /// Requests that a semantic cache would answer beyond exact repeats.
    public var nearDuplicateRate: Double { sampledRequests == 0 ? 0 : Double(nearDuplicatePrompts) / Double(sampledRequests) }
    /// Identical or similar: the seed's measure of what caching can reach.
    public var identicalOrSimilarRate: Double { exactRepeatRate + nearDuplicateRate }

    /// Embeds the sample's prompts and replays them in order of first appearance through one vector index
    /// per scope.
    public init(sample: NearDuplicateSample, embedder: any Embedder, threshold: Double, guards: SemanticGuards = SemanticGuards(),
                progress: (Int, Int) -> Void = { _, _ in }) async throws {
        let prompts = sample.prompts.values.sorted { ($0.firstTime, $0.firstOrder) < ($1.firstTime, $1.firstOrder) }
        var vectors: [[Float]] = []
        vectors.reserveCapacity(prompts.count)
        let batch = 64
        for start in stride(from: 0, to: prompts.count, by: batch) {
            let texts = prompts[start..<min(start + batch, prompts.count)].map(\.text)
            vectors += try await embedder.embed(texts)
            progress(vectors.count, prompts.count)
        }
        let index = ScopedVectorIndex(dimension: embedder.dimension)
        var found = 0
        var vetoed = 0
        var dollars = 0.0
        var examples: [Example] = []
        for (position, prompt) in prompts.enumerated() {
            let key = String(prompt.digest)
            if let match = index.nearest(to: vectors[position], scope: prompt.scope, limit: 1).first, Double(match.similarity) >= threshold,
               let earlier = sample.prompts[UInt64(match.key) ?? 0] {
                if guards.veto(prompt.text, earlier.text) == nil {
                    // Served from the earlier entry, so, as in the gateway, not stored as an entry of its own.
                    found += 1
                    dollars += prompt.dollars / Double(prompt.requests)
                    if examples.count < 10 { examples.append(Example(prompt: prompt.text, matched: earlier.text, similarity: Double(match.similarity))) }
                    continue
                }
                vetoed += 1
            }
            index.insert(vectors[position], for: key, scope: prompt.scope)
        }
        self.threshold = threshold
        self.guards = guards.enabled
        sampledPrompts = prompts.count
        sampledRequests = prompts.reduce(0) { $0 + $1.requests }
        comparableRequests = sample.comparableRequests
        nearDuplicatePrompts = found
        vetoedByGuards = vetoed
        nearDuplicateDollars = dollars
        self.examples = examples
    }
}
