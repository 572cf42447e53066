extension String {
    /// The text as inline Markdown that shows exactly these characters: on one line, with every character
    /// Markdown or a pipe table gives a meaning backslash-escaped.
    var markdownEscaped: String {
        var escaped = ""
        escaped.reserveCapacity(utf8.count)
        for character in self {
            if character.isNewline {
                escaped.append(" ")
            } else if "\\`*_[]<>|#~!&$".contains(character) {
                escaped.append("\\")
                escaped.append(character)
            } else if let scalar = character.unicodeScalars.first, scalar.value < 0x20 {
                escaped.append(" ")
            } else {
                escaped.append(character)
            }
        }
        return escaped
    }
}
