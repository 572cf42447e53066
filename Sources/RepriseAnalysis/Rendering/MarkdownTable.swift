/// A GitHub-flavoured Markdown pipe table: text columns left, number columns right.
///
/// Cells are escaped (``markdownEscaped``) so text from a log cannot end a cell, break a row, start
/// emphasis or links, or smuggle HTML into the page.
struct MarkdownTable {
    var header: [String]
    var rows: [[String]] = []
    /// Columns aligned to the right (numbers).
    var rightAligned: Set<Int>

    init(header: [String], rightAligned: Set<Int> = []) {
        self.header = header
        self.rightAligned = rightAligned
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    var rendered: String {
        func line(_ cells: [String]) -> String { "| " + cells.map(\.markdownEscaped).joined(separator: " | ") + " |" }
        let rule = "| " + header.indices.map { rightAligned.contains($0) ? "---:" : "---" }.joined(separator: " | ") + " |"
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}
