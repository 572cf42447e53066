import NIOPosix
import RepriseSemantic

/// Runs the built-in model on NIO's blocking thread pool: an embedding takes milliseconds of CPU, which must
/// not hold one of the few threads that serve requests.
struct ThreadPoolEmbedder: Embedder {
    let model: BuiltInEmbedder
    private let pool: NIOThreadPool

    init(_ model: BuiltInEmbedder, pool: NIOThreadPool = .singleton) {
        self.model = model
        self.pool = pool
    }

    var dimension: Int { model.dimension }

    func embed(_ texts: [String]) async throws -> [[Float]] {
        try await pool.runIfActive { [model] in model.embedNow(texts) }
    }
}
