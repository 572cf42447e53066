extension String {
    /// The text made safe as HTML or SVG text and attribute values: `&`, `<`, `>`, `"` and `'` become
    /// character references, and control characters that XML forbids become spaces.
    ///
    /// Everything a log says passes through here, because prompts are untrusted: a prompt holding
    /// `<script>` must show as text, never run.
    var htmlEscaped: String {
        var escaped = ""
        escaped.reserveCapacity(utf8.count)
        for scalar in unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            default:
                // C0 and C1 controls, and the non-characters U+FFFE and U+FFFF, are not allowed in XML.
                let value = scalar.value
                if value < 0x20 || (0x7F...0x9F).contains(value) || value == 0xFFFE || value == 0xFFFF {
                    escaped += " "
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped
    }
}
