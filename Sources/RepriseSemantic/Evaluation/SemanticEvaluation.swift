import Reprise

/// How well a similarity threshold, with or without the guards, tells same-meaning pairs from near misses.
///
/// A pair is served as a hit when its similarity reaches the threshold and (with guards) no guard vetoes it.
/// - precision: hits that were right, over all hits;
/// - recall: same-meaning pairs served as hits, over all same-meaning pairs;
/// - false-hit rate: different-meaning pairs served as hits, over all different-meaning pairs — the share of
///   near-miss requests that would get someone else's answer.
public struct SemanticEvaluation: Sendable {
    /// The figures at one threshold.
    public struct Row: Sendable, Hashable {
        public var threshold: Double
        public var guarded: Bool
        public var truePositives: Int
        public var falsePositives: Int
        public var falseNegatives: Int
        public var trueNegatives: Int

        public var precision: Double? { ratio(truePositives, truePositives + falsePositives) }
        public var recall: Double? { ratio(truePositives, truePositives + falseNegatives) }
        public var falseHitRate: Double? { ratio(falsePositives, falsePositives + trueNegatives) }
        public var f1: Double? {
            guard let precision, let recall, precision + recall > 0 else { return nil }
            return 2 * precision * recall / (precision + recall)
        }

        private func ratio(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }
    }

    /// One pair's measured similarity and the guards that veto it.
    public struct Scored: Sendable, Hashable {
        public var same: Bool
        public var similarity: Float
        /// Every enabled guard that vetoes the pair, not only the first: so the figures without any one of
        /// them follow from the same scores.
        public var vetoes: Set<SemanticGuard>

        public var vetoed: Bool { !vetoes.isEmpty }

        public init(same: Bool, similarity: Float, vetoes: Set<SemanticGuard>) {
            self.same = same
            self.similarity = similarity
            self.vetoes = vetoes
        }
    }

    /// The default thresholds: 0.70 to 0.99 by 0.01.
    public static let defaultThresholds = (70...99).map { Double($0) / 100 }

    public let pairs: Int
    public let rows: [Row]
    /// The pairs as scored, for figures between the fixed thresholds.
    public let scored: [Scored]

    /// Evaluates scored pairs at every threshold, without and with guards.
    public init(scored: [Scored], thresholds: [Double] = Self.defaultThresholds) {
        pairs = scored.count
        self.scored = scored
        rows = [false, true].flatMap { guarded in
            thresholds.map { threshold in
                var row = Row(threshold: threshold, guarded: guarded, truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 0)
                for pair in scored {
                    let hit = Double(pair.similarity) >= threshold - 1e-9 && !(guarded && pair.vetoed)
                    switch (hit, pair.same) {
                    case (true, true): row.truePositives += 1
                    case (true, false): row.falsePositives += 1
                    case (false, true): row.falseNegatives += 1
                    case (false, false): row.trueNegatives += 1
                    }
                }
                return row
            }
        }
    }

    /// Scores pairs with `embedder` (each distinct text embedded once, in batches of 256, up to `concurrency`
    /// batches at a time) and `guards`.
    public static func score(
        _ pairs: [LabeledPair], embedder: some Embedder, guards: SemanticGuards, concurrency: Int = 1
    ) async throws -> [Scored] {
        var distinct: [String] = []
        var position: [String: Int] = [:]
        for text in pairs.flatMap({ [$0.a, $0.b] }) where position[text] == nil {
            position[text] = distinct.count
            distinct.append(text)
        }
        let batches = stride(from: 0, to: distinct.count, by: 256).map { Array(distinct[$0..<min($0 + 256, distinct.count)]) }
        var embedded = [[[Float]]](repeating: [], count: batches.count)
        try await withThrowingTaskGroup(of: (Int, [[Float]]).self) { group in
            var next = 0
            func start() {
                let index = next
                group.addTask { (index, try await embedder.embed(batches[index])) }
                next += 1
            }
            while next < min(max(concurrency, 1), batches.count) { start() }
            while let (index, vectors) = try await group.next() {
                embedded[index] = vectors
                if next < batches.count { start() }
            }
        }
        let vectors = Array(embedded.joined())
        return pairs.map { pair in
            let similarity = VectorSimilarity.cosine(vectors[position[pair.a]!], vectors[position[pair.b]!])
            return Scored(same: pair.same, similarity: similarity, vetoes: guards.enabled.filter { $0.vetoes(pair.a, pair.b) })
        }
    }

    /// The same pairs evaluated with one guard left off: what that guard costs and saves.
    public func without(_ guardName: SemanticGuard) -> SemanticEvaluation {
        SemanticEvaluation(
            scored: scored.map { pair in
                var pair = pair
                pair.vetoes.remove(guardName)
                return pair
            }, thresholds: rows.filter { !$0.guarded }.map(\.threshold))
    }

    /// The lowest threshold (so the highest recall) whose false-hit rate is at most `limit`.
    public func threshold(maximumFalseHitRate limit: Double, guarded: Bool) -> Row? {
        rows.filter { $0.guarded == guarded && ($0.falseHitRate ?? 0) <= limit + 1e-12 }.min { $0.threshold < $1.threshold }
    }

    /// The row at `threshold`.
    public func row(threshold: Double, guarded: Bool) -> Row? {
        rows.first { $0.guarded == guarded && abs($0.threshold - threshold) < 1e-9 }
    }

    /// The share of same-meaning pairs no guard vetoes: the most recall the guards allow at any threshold,
    /// whatever the embedder. `nil` without same-meaning pairs.
    public var guardedRecallCeiling: Double? {
        let same = scored.filter(\.same)
        return same.isEmpty ? nil : Double(same.filter { !$0.vetoed }.count) / Double(same.count)
    }

    /// The most precise threshold, at any similarity rather than the fixed steps, whose recall is at least
    /// `minimumRecall`; `nil` when none reaches it (with guards: when it is above ``guardedRecallCeiling``).
    /// Pairs of equal similarity are taken together, as a threshold cannot split them.
    public func mostPrecise(reachingRecall minimumRecall: Double, guarded: Bool) -> Row? {
        let same = scored.filter(\.same).count, different = scored.count - same
        guard same > 0 else { return nil }
        let candidates = scored.filter { !(guarded && $0.vetoed) }.sorted { $0.similarity > $1.similarity }
        var truePositives = 0, falsePositives = 0, index = 0
        var best: Row?
        while index < candidates.count {
            let similarity = candidates[index].similarity
            while index < candidates.count, candidates[index].similarity == similarity {
                if candidates[index].same { truePositives += 1 } else { falsePositives += 1 }
                index += 1
            }
            guard Double(truePositives) / Double(same) >= minimumRecall - 1e-12 else { continue }
            let row = Row(
                threshold: Double(similarity), guarded: guarded, truePositives: truePositives, falsePositives: falsePositives,
                falseNegatives: same - truePositives, trueNegatives: different - falsePositives)
            if let current = best, let precision = current.precision, precision >= row.precision ?? 0 { continue }
            best = row
        }
        return best
    }
}
