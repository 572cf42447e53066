/// Cached text cut as a model streams it, for replays.
public enum ReplayText {
    /// About how many characters each piece carries.
    public static let pieceLength = 16

    /// `text` in pieces of about ``pieceLength`` characters, cut after white space where possible, so a
    /// replay looks like a model's tokens and joins back to exactly `text`.
    public static func pieces(of text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for character in text {
            current.append(character)
            if current.count >= pieceLength && character.isWhitespace || current.count >= pieceLength * 2 {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}
