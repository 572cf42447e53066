/// Turns texts into vectors whose cosine similarity says how close their meanings are.
///
/// ## Implementation requirements
/// - `embed(_:)` returns exactly one vector per text, in the order given, each with ``dimension`` components.
/// - Vectors are L2-normalised, so the dot product of two vectors is their cosine similarity.
/// - The same text always gives the same vector from the same model, whatever else is in the batch.
/// - Implementations are safe to call from many tasks at once.
public protocol Embedder: Sendable {
    /// The number of components of every vector this embedder returns.
    var dimension: Int { get }

    /// Embeds a batch of texts; a batch is faster than one call per text.
    func embed(_ texts: [String]) async throws -> [[Float]]
}

extension Embedder {
    /// Embeds one text.
    public func embed(_ text: String) async throws -> [Float] {
        let vectors = try await embed([text])
        return vectors[0]
    }
}
