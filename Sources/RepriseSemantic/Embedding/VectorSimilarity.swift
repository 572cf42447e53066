/// How alike two embeddings are: the one definition the index, the gateway's checks and the evaluation
/// share.
public enum VectorSimilarity {
    /// The cosine similarity of two L2-normalised vectors (their dot product), from −1 to 1.
    ///
    /// - Precondition: `a.count == b.count`.
    public static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count, "vectors of different dimensions cannot be compared")
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                guard let first = a.baseAddress, let second = b.baseAddress else { return 0 }
                return DotProduct.compute(first, second, count: a.count)
            }
        }
    }
}
