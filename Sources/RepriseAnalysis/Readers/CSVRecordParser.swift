/// Splits CSV text (RFC 4180) into records, a line at a time.
///
/// Fields are separated by commas; a field in double quotes may hold commas, doubled quotes (`""` for one
/// `"`) and line breaks, so one record may span several lines: ``add(_:)`` returns `nil` until the record
/// is complete. Line breaks inside quotes are kept as `\n`. A stray quote inside an unquoted field is kept
/// as text, as most spreadsheet programs do.
struct CSVRecordParser {
    /// The longest record kept; a longer one (usually an unterminated quote) is rejected.
    var maximumRecordLength = 16 << 20

    private var fields: [String] = []
    private var field: [UInt8] = []
    private var insideQuotes = false
    private var length = 0
    /// The line the open record started on.
    private(set) var startLine: Int?

    /// Whether a quoted field is open across lines.
    var isInsideRecord: Bool { startLine != nil }

    /// Adds one line (without its line break); returns the record it completes and the line it started on.
    /// - Throws: ``LineRejection`` when the open record grows past ``maximumRecordLength``.
    mutating func add(_ line: UnsafeBufferPointer<UInt8>, number: Int) throws(LineRejection) -> (fields: [String], line: Int)? {
        if startLine == nil {
            startLine = number
        } else {
            field.append(0x0A)
        }
        length += line.count + 1
        guard length <= maximumRecordLength else {
            let start = startLine
            reset()
            throw LineRejection("unterminated quoted field (record longer than \(maximumRecordLength >> 20) MiB)", line: start)
        }
        var index = 0
        while index < line.count {
            let byte = line[index]
            index += 1
            if insideQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index < line.count, line[index] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        insideQuotes = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: ",") {
                endField()
            } else if byte == UInt8(ascii: "\""), field.isEmpty {
                insideQuotes = true
            } else {
                field.append(byte)
            }
        }
        if insideQuotes { return nil }
        endField()
        let record = (fields, startLine ?? number)
        reset()
        return record
    }

    /// Ends the input: a record left open is an unterminated quote.
    mutating func finish() throws(LineRejection) {
        guard let start = startLine else { return }
        reset()
        throw LineRejection("unterminated quoted field at the end of the file", line: start)
    }

    private mutating func endField() {
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
    }

    private mutating func reset() {
        fields = []
        field.removeAll(keepingCapacity: true)
        insideQuotes = false
        length = 0
        startLine = nil
    }
}
