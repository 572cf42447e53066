/// MPNet's relative position bias: a learned value per attention head and bucket of relative distance, added
/// to the score of every query–key pair.
///
/// Distances are bucketed as the reference does (T5's bidirectional scheme): 16 buckets each way, exact up to
/// 7 tokens, then logarithmic up to 128, where they saturate. Keys before the query take buckets 0–15, keys
/// after it 16–31.
struct RelativePositionBias: Sendable {
    static let buckets = 32

    private let heads: Int
    /// The largest |key − query| the table covers; farther pairs fall in the saturated buckets.
    private let reach: Int
    /// `heads` rows of `2 × reach + 1` biases, indexed by `key − query + reach`.
    private let table: [Float]

    /// - Parameter weight: the `[buckets, heads]` tensor `encoder.relative_attention_bias.weight`.
    init(weight: [Float], heads: Int, reach: Int) {
        precondition(weight.count == Self.buckets * heads)
        var table = [Float](repeating: 0, count: heads * (2 * reach + 1))
        for relative in -reach...reach {
            let bucket = Self.bucket(relative)
            for head in 0..<heads {
                table[head * (2 * reach + 1) + relative + reach] = weight[bucket * heads + head]
            }
        }
        self.heads = heads
        self.reach = reach
        self.table = table
    }

    /// The bucket of a key `relative` tokens after the query (negative: before it).
    ///
    /// Past the exact range the bucket is `8 + ⌊2 · log₂(n / 8)⌋`, computed here in integers as
    /// `⌊log₂(n²)⌋ − 6`, so the boundaries at 16, 32 and 64 fall where the reference puts them.
    static func bucket(_ relative: Int) -> Int {
        let half = buckets / 2
        let exact = half / 2
        let distance = abs(relative)
        let side = relative > 0 ? half : 0
        guard distance >= exact else { return side + distance }
        let square = distance * distance
        let logarithm = Int.bitWidth - 1 - square.leadingZeroBitCount
        return side + min(exact + logarithm - 6, half - 1)
    }

    /// Calls `body` with the biases of `head` for keys at each distance from a query: element `key − query +
    /// offset`, where `offset` is returned with the pointer.
    func withBiases<Result>(head: Int, _ body: (UnsafePointer<Float>, _ offset: Int) -> Result) -> Result {
        table.withUnsafeBufferPointer { table in body(table.baseAddress! + head * (2 * reach + 1), reach) }
    }
}
