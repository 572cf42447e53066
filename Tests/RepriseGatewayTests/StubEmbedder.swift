import RepriseGateway
import RepriseSemantic

/// An embedder whose similarities a test decides: texts named in `exact` get that vector, texts containing a
/// `contains` phrase get its vector, and every other text a unit vector of its own (texts that differ are
/// orthogonal, unless their hashes collide in 4,096 dimensions).
struct StubEmbedder: Embedder {
    static let size = 4_096

    var exact: [String: [Float]] = [:]
    var contains: [(phrase: String, vector: [Float])] = []

    var dimension: Int { Self.size }

    func embed(_ texts: [String]) async throws -> [[Float]] {
        texts.map { text in
            if let vector = exact[text] { return vector }
            if let rule = contains.first(where: { text.contains($0.phrase) }) { return rule.vector }
            return Self.axis(Int(Self.fnv1a(text) % UInt64(Self.size - 16)) + 16)
        }
    }

    /// A unit vector along `axis`.
    static func axis(_ axis: Int) -> [Float] {
        var vector = [Float](repeating: 0, count: size)
        vector[axis] = 1
        return vector
    }

    /// A unit vector whose cosine with ``axis(_:)`` of `base` is `similarity` (axes below 16 are for tests).
    static func near(_ base: Int, similarity: Float, towards other: Int) -> [Float] {
        var vector = [Float](repeating: 0, count: size)
        vector[base] = similarity
        vector[other] = (1 - similarity * similarity).squareRoot()
        return vector
    }

    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    var named: NamedEmbedder { NamedEmbedder(self, name: "stub") }
}
