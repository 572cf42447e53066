import Reprise
import RepriseSemantic

/// Measures the built-in embedder on this machine: latency of one short text and throughput of batches.
///
/// Runs on the calling thread, so pin the process to one core (`taskset -c 0`) for single-core figures.
public struct EmbedderBenchmark: Sendable {
    /// The 14-token text (with [CLS] and [SEP]) the reference's latency figure is for.
    public static let shortText = "Convert 100 USD to EUR at today's rate."

    public struct Result: Sendable {
        public var tokens: Int
        public var medianMilliseconds: Double
        public var p90Milliseconds: Double
        public var batchSize: Int
        public var textsPerSecond: Double
        public var batchTokens: Int
    }

    let embedder: BuiltInEmbedder

    public init(embedder: BuiltInEmbedder) {
        self.embedder = embedder
    }

    /// Embeds ``shortText`` `runs` times one at a time, then `batches` batches of `batchSize` varied texts.
    public func run(runs: Int, batchSize: Int, batches: Int) -> Result {
        let clock = ContinuousClock()
        for _ in 0..<10 { _ = embedder.embedNow([Self.shortText]) }
        var latencies: [Double] = []
        for _ in 0..<runs {
            let elapsed = clock.measure { _ = embedder.embedNow([Self.shortText]) }
            latencies.append(milliseconds(elapsed))
        }
        latencies.sort()
        let texts = (0..<batchSize).map { "Question \($0): how do I change the billing address on invoice number \($0 * 37) for my team?" }
        let elapsed = clock.measure {
            for _ in 0..<batches { _ = embedder.embedNow(texts) }
        }
        return Result(
            tokens: embedder.tokenizer.tokenIDs(Self.shortText).count,
            medianMilliseconds: latencies[latencies.count / 2], p90Milliseconds: latencies[latencies.count * 9 / 10],
            batchSize: batchSize, textsPerSecond: Double(batchSize * batches) / (milliseconds(elapsed) / 1000),
            batchTokens: texts.reduce(0) { $0 + embedder.tokenizer.tokenIDs($1).count } / batchSize)
    }

    private func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }
}
