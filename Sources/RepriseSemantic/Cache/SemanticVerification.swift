import Reprise
import Synchronization

/// Shadow verification of semantic hits: a share of them is also sent upstream after the client has its
/// answer, and the two answers are compared — equal text, else embeddings at least
/// ``SemanticSettings/verificationSimilarity`` apart — to measure the false-hit rate in production.
public final class SemanticVerification: Sendable {
    /// How one verification ended.
    public enum Outcome: String, CaseIterable, Sendable {
        /// The upstream's answer says the same as the cached one.
        case agreed
        /// The upstream's answer differs: the semantic hit was wrong.
        case disagreed
        /// The upstream call failed or its answer had no text to compare.
        case failed
    }

    /// Verifications so far.
    public struct Tally: Sendable, Hashable {
        public var agreed = 0
        public var disagreed = 0
        public var failed = 0
        /// Hits chosen for verification but not verified because too many were in flight.
        public var skipped = 0
        /// What the verification calls cost.
        public var dollars = 0.0

        /// The share of compared hits that were wrong, with its 95% Wilson score interval; `nil` before any
        /// comparison.
        public var falseHitRate: (rate: Double, lower: Double, upper: Double)? {
            let trials = Double(agreed + disagreed)
            guard trials > 0 else { return nil }
            let rate = Double(disagreed) / trials
            let z = 1.959964
            let z2 = z * z
            let centre = (rate + z2 / (2 * trials)) / (1 + z2 / trials)
            let margin = z * (rate * (1 - rate) / trials + z2 / (4 * trials * trials)).squareRoot() / (1 + z2 / trials)
            return (rate, max(0, centre - margin), min(1, centre + margin))
        }
    }

    public let rate: Double
    public let similarity: Float
    public let maximumInFlight: Int
    private let state = Mutex((tally: Tally(), inFlight: 0))
    private let sampling: VerificationSampling

    public init(settings: SemanticSettings, sampling: VerificationSampling = .random) {
        self.rate = settings.verificationRate
        self.similarity = settings.verificationSimilarity
        self.maximumInFlight = max(1, settings.maximumConcurrentVerifications)
        self.sampling = sampling
    }

    public var tally: Tally { state.withLock { $0.tally } }

    /// Whether this hit is verified; when it is, the caller must call ``finish(_:dollars:)`` once.
    public func begin() -> Bool {
        guard rate > 0, sampling.draw() < rate else { return false }
        return state.withLock { state in
            guard state.inFlight < maximumInFlight else {
                state.tally.skipped += 1
                return false
            }
            state.inFlight += 1
            return true
        }
    }

    /// Records how a verification ended.
    @discardableResult
    public func finish(_ outcome: Outcome, dollars: Double) -> Tally {
        state.withLock { state in
            state.inFlight -= 1
            state.tally.dollars += dollars
            switch outcome {
            case .agreed: state.tally.agreed += 1
            case .disagreed: state.tally.disagreed += 1
            case .failed: state.tally.failed += 1
            }
            return state.tally
        }
    }

    /// Compares a cached answer's text with the upstream's fresh one.
    public func compare(cached: String, fresh: String, embedder: any Embedder) async throws -> Outcome {
        let normalise = { (text: String) in text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
        if normalise(cached) == normalise(fresh) { return .agreed }
        let vectors = try await embedder.embed([cached, fresh])
        let cosine = VectorSimilarity.cosine(vectors[0], vectors[1])
        return cosine >= similarity ? .agreed : .disagreed
    }
}

/// Decides which semantic hits shadow verification picks: at random by default; tests pick every one.
public struct VerificationSampling: Sendable {
    /// A uniform draw in `0..<1`; a hit is verified when the draw is under the verification rate.
    public let draw: @Sendable () -> Double

    public init(draw: @escaping @Sendable () -> Double) {
        self.draw = draw
    }

    /// Uniformly random draws.
    public static let random = VerificationSampling { Double.random(in: 0..<1) }
    /// Every hit, as far as the rate allows: a draw of 0 is under any positive rate.
    public static let always = VerificationSampling { 0 }
}
