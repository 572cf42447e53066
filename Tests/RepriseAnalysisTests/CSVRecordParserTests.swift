@testable import RepriseAnalysis
import Testing

/// Splitting CSV into records (RFC 4180).
@Suite struct CSVRecordParserTests {
    static func records(_ lines: [String]) throws -> [[String]] {
        var parser = CSVRecordParser()
        var records: [[String]] = []
        for (offset, line) in lines.enumerated() {
            let bytes = Array(line.utf8)
            if let record = try bytes.withUnsafeBufferPointer({ try parser.add($0, number: offset + 1) }) {
                records.append(record.fields)
            }
        }
        try parser.finish()
        return records
    }

    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let records = try Self.records([
            #"a,"b, with comma","say ""hi""""#,
            #"1,"two"#,
            "",
            #"lines",3"#,
            ",,",
        ])
        #expect(records == [["a", "b, with comma", #"say "hi""#], ["1", "two\n\nlines", "3"], ["", "", ""]])
    }

    @Test func anUnterminatedQuoteIsRejectedWithTheLineItStartedOn() throws {
        var parser = CSVRecordParser()
        let bytes = Array(#"x,"never closed"#.utf8)
        _ = try bytes.withUnsafeBufferPointer { try parser.add($0, number: 7) }
        #expect(parser.isInsideRecord)
        let rejection = #expect(throws: LineRejection.self) { try parser.finish() }
        #expect(rejection?.line == 7)
    }
}
