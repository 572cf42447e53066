/// How repetitive a log is: exact and normalized repeat rates, overall and by model and route, and the
/// most repeated prompts with what they cost. Memory grows with the number of distinct prompts, not lines.
public struct RepetitionStatistics: Sendable {
    /// Counts for one slice of the log (everything, one model, one route).
    public struct Tally: Sendable, Hashable {
        public var requests = 0
        /// Requests whose content is known (text or body), the only ones repeats can be measured on.
        public var withContent = 0
        public var uniqueExact = 0
        public var uniqueNormalized = 0
        public var dollars = 0.0

        /// Requests that repeat an earlier one exactly, over requests with content.
        public var exactRepeatRate: Double { withContent == 0 ? 0 : Double(withContent - uniqueExact) / Double(withContent) }
        /// Requests that repeat an earlier one once case, white space and punctuation are folded.
        public var normalizedRepeatRate: Double { withContent == 0 ? 0 : Double(withContent - uniqueNormalized) / Double(withContent) }
    }

    /// A prompt seen more than once.
    public struct RepeatedPrompt: Sendable, Hashable {
        public var text: String
        public var model: String?
        public var count: Int
        public var dollars: Double
        public var tokens: Int
    }

    private struct Seen: Sendable {
        var count: Int
        var dollars: Double
        var tokens: Int
        var sample: String
        var model: String?
    }

    public private(set) var total = Tally()
    public private(set) var byModel: [String: Tally] = [:]
    public private(set) var byRoute: [String: Tally] = [:]
    private var exact: [UInt64: Seen] = [:]
    private var normalized: [UInt64: Seen] = [:]
    private var exactPerSlice: Set<SliceKey> = []
    private var normalizedPerSlice: Set<SliceKey> = []

    /// A digest within one slice (a model or a route), the slice numbered by ``sliceNumbers``.
    private struct SliceKey: Hashable, Sendable {
        var slice: Int
        var digest: UInt64
    }

    /// Small numbers for the slices seen, so the per-slice sets hash two integers instead of a name.
    private var modelSlices: [String: Int] = [:]
    private var routeSlices: [String: Int] = [:]

    private mutating func sliceNumber(model: String) -> Int {
        if let number = modelSlices[model] { return number }
        let number = modelSlices.count + routeSlices.count
        modelSlices[model] = number
        return number
    }

    private mutating func sliceNumber(route: String) -> Int {
        if let number = routeSlices[route] { return number }
        let number = modelSlices.count + routeSlices.count
        routeSlices[route] = number
        return number
    }

    /// The longest prompt text kept as a sample for the report.
    public static let sampleLength = 200

    public init() {}

    /// Counts `record`, which cost `dollars` and `tokens`.
    @discardableResult
    public mutating func add(_ record: UsageRecord, dollars: Double, tokens: Int) -> Bool {
        let exactDigest = PromptFingerprint.exact(record)
        return add(record, exact: exactDigest, normalized: PromptFingerprint.normalized(record) ?? exactDigest, dollars: dollars, tokens: tokens)
    }

    /// Counts `record` under digests already computed (``PromptFingerprint/exact(_:keyBuilder:)`` and
    /// ``PromptFingerprint/normalized(_:)``), which cost `dollars` and `tokens`.
    /// - Returns: whether the record repeats an earlier one exactly.
    @discardableResult
    public mutating func add(_ record: UsageRecord, exact exactDigest: UInt64?, normalized normalizedDigest: UInt64?, dollars: Double, tokens: Int) -> Bool {
        let model = record.model ?? "unknown"
        let slices = [sliceNumber(model: model), sliceNumber(route: record.route)]
        var tallies = [total, byModel[model] ?? Tally(), byRoute[record.route] ?? Tally()]
        for index in tallies.indices {
            tallies[index].requests += 1
            tallies[index].dollars += dollars
        }
        var repeated = false
        if let exactDigest {
            let normalizedDigest = normalizedDigest ?? exactDigest
            for index in tallies.indices { tallies[index].withContent += 1 }
            repeated = Self.count(record, under: exactDigest, in: &exact, dollars: dollars, tokens: tokens)
            if !repeated { tallies[0].uniqueExact += 1 }
            if !Self.count(record, under: normalizedDigest, in: &normalized, dollars: dollars, tokens: tokens) { tallies[0].uniqueNormalized += 1 }
            for (offset, slice) in slices.enumerated() {
                if exactPerSlice.insert(SliceKey(slice: slice, digest: exactDigest)).inserted { tallies[offset + 1].uniqueExact += 1 }
                if normalizedPerSlice.insert(SliceKey(slice: slice, digest: normalizedDigest)).inserted { tallies[offset + 1].uniqueNormalized += 1 }
            }
        }
        total = tallies[0]
        byModel[model] = tallies[1]
        byRoute[record.route] = tallies[2]
        return repeated
    }

    /// Counts `record` under `digest` in `seen`.
    /// - Returns: whether the digest was seen before.
    private static func count(_ record: UsageRecord, under digest: UInt64, in seen: inout [UInt64: Seen], dollars: Double, tokens: Int) -> Bool {
        let repeated = seen[digest] != nil
        seen[digest, default: Seen(count: 0, dollars: 0, tokens: 0, sample: "", model: record.model)].count += 1
        seen[digest]!.dollars += dollars
        seen[digest]!.tokens += tokens
        // The sample is kept from the first repeat on (the same prompt, or one of its cluster), so the many
        // prompts seen only once cost no text. What the user wrote says more than a shared system prompt.
        if repeated, seen[digest]!.count == 2 {
            seen[digest]!.sample = String((record.shownPrompt ?? "").prefix(sampleLength))
        }
        return repeated
    }

    /// The `limit` prompts repeated most often, most first (ties: most dollars first).
    public func topRepeatedPrompts(limit: Int = 10) -> [RepeatedPrompt] {
        Self.top(exact, limit: limit)
    }

    /// The `limit` clusters of prompts that are the same once case, white space and punctuation are folded
    /// ("How do I reset my password?", "how do i reset my password") repeated most often, with one of their
    /// texts as written.
    public func topRepeatedClusters(limit: Int = 10) -> [RepeatedPrompt] {
        Self.top(normalized, limit: limit)
    }

    private static func top(_ seen: [UInt64: Seen], limit: Int) -> [RepeatedPrompt] {
        seen.values.filter { $0.count > 1 }
            .sorted { ($0.count, $0.dollars) > ($1.count, $1.dollars) }
            .prefix(limit)
            .map { RepeatedPrompt(text: $0.sample, model: $0.model, count: $0.count, dollars: $0.dollars, tokens: $0.tokens) }
    }
}
