/// An HTML table: text columns left, number columns right; every cell escaped.
struct HTMLTable {
    var header: [String]
    var rows: [[String]] = []
    /// Columns aligned to the right (numbers).
    var rightAligned: Set<Int>
    /// Columns of long free text (prompts), allowed to wrap.
    var wrapping: Set<Int> = []

    init(header: [String], rightAligned: Set<Int> = [], wrapping: Set<Int> = []) {
        self.header = header
        self.rightAligned = rightAligned
        self.wrapping = wrapping
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    var rendered: String {
        func cell(_ tag: String, _ column: Int, _ text: String) -> String {
            let classes = (rightAligned.contains(column) ? ["num"] : []) + (wrapping.contains(column) ? ["text"] : [])
            let attribute = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
            return "<\(tag)\(attribute)>\(text.htmlEscaped)</\(tag)>"
        }
        let head = "<thead><tr>" + header.enumerated().map { cell("th", $0, $1) }.joined() + "</tr></thead>"
        let body = rows.map { row in "<tr>" + row.enumerated().map { cell("td", $0, $1) }.joined() + "</tr>" }.joined(separator: "\n")
        return "<div class=\"table\"><table>\n\(head)\n<tbody>\n\(body)\n</tbody>\n</table></div>"
    }
}
