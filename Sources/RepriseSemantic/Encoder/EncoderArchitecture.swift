/// The shape of a built-in model's transformer encoder: its family, which decides the tensor names and how
/// positions enter attention, and its sizes, which the weights file must match.
struct EncoderArchitecture: Sendable, Hashable {
    enum Family: Sendable, Hashable {
        /// BERT: learned absolute positions from 0 and a token-type embedding added to every token.
        case bert
        /// MPNet: learned absolute positions from 2 (after the padding id), no token types, and a learned
        /// bias per head and bucket of relative distance added to every attention score.
        case mpnet
    }

    var family: Family
    var hidden: Int
    var heads: Int
    var intermediate: Int
    var layers: Int
    /// The rows of the position embedding table.
    var positionRows: Int
    var layerNormEpsilon: Float

    /// all-MiniLM-L6-v2: six BERT layers of 384.
    static let miniLM = EncoderArchitecture(
        family: .bert, hidden: 384, heads: 12, intermediate: 1536, layers: 6, positionRows: 512, layerNormEpsilon: 1e-12)

    /// all-mpnet-base-v2: twelve MPNet layers of 768.
    static let mpnetBase = EncoderArchitecture(
        family: .mpnet, hidden: 768, heads: 12, intermediate: 3072, layers: 12, positionRows: 514, layerNormEpsilon: 1e-5)

    /// The position of a sequence's first token in the position table: MPNet counts from after its padding id.
    var firstPosition: Int { family == .mpnet ? 2 : 0 }

    /// The longest sequence the position table covers.
    var maximumTokens: Int { positionRows - firstPosition }
}
