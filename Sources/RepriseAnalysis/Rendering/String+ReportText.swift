extension String {
    /// The text with its first `T` made a space: an ISO 8601 time as `2025-11-24 16:00`.
    func replacingFirstT() -> String {
        guard let index = firstIndex(of: "T") else { return self }
        var copy = self
        copy.replaceSubrange(index...index, with: " ")
        return copy
    }

    /// The text on one line: every line break becomes a space.
    var onOneLine: String { String(map { $0.isNewline ? " " : $0 }) }

    /// At most `limit` characters of the text on one line, with an ellipsis when cut.
    func shortened(to limit: Int) -> String {
        let line = onOneLine
        return line.count <= limit ? line : String(line.prefix(max(0, limit - 1))) + "…"
    }
}
