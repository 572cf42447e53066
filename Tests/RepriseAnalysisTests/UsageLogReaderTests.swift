import Foundation
import Reprise
import RepriseAnalysis
import Testing

/// Reading files: compression, several files, line endings, bad lines and unreadable input.
@Suite struct UsageLogReaderTests {
    static let chatLine = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}"#

    /// Two lines of OpenAI-style JSONL, gzip-compressed as two members (`cat a.gz b.gz`).
    static let gzipMembers: [[UInt8]] = [
        [
            0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xab, 0x56, 0xca, 0xcd, 0x4f, 0x49, 0xcd, 0x51, 0xb2,
            0x52, 0x4a, 0x2f, 0x28, 0xd1, 0x35, 0xc9, 0xd7, 0xcd, 0xcd, 0xcc, 0xcb, 0x54, 0xd2, 0x51, 0xca, 0x4d, 0x2d, 0x2e,
            0x4e, 0x4c, 0x4f, 0x2d, 0x56, 0xb2, 0x8a, 0xae, 0x56, 0x2a, 0xca, 0xcf, 0x49, 0x05, 0xaa, 0x28, 0x2d, 0x4e, 0x2d,
            0x02, 0x4a, 0x25, 0xe7, 0xe7, 0x95, 0xa4, 0xe6, 0x95, 0x00, 0x05, 0x3c, 0x32, 0x95, 0x6a, 0x63, 0x6b, 0xb9, 0x00,
            0x39, 0x6d, 0x34, 0x60, 0x44, 0x00, 0x00, 0x00,
        ],
        [
            0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xab, 0x56, 0xca, 0xcd, 0x4f, 0x49, 0xcd, 0x51, 0xb2,
            0x52, 0x4a, 0x2f, 0x28, 0xd1, 0x35, 0xc9, 0x57, 0xd2, 0x51, 0x2a, 0x28, 0xca, 0xcf, 0x2d, 0x28, 0x01, 0x8a, 0x38,
            0x55, 0xa6, 0x2a, 0xd5, 0x72, 0x01, 0x00, 0x71, 0xa0, 0x53, 0xbd, 0x22, 0x00, 0x00, 0x00,
        ],
    ]

    static func read(_ paths: [String], format: UsageLogFormat? = nil) throws -> ([UsageRecord], UsageLogReadSummary) {
        var reader = UsageLogReader(paths: paths, format: format)
        var records: [UsageRecord] = []
        try reader.forEach { records.append($0) }
        return (records, reader.summary)
    }

    @Test func gzipIsRecognizedByItsMagicNotItsName() throws {
        let files = try TemporaryLogFiles()
        let path = try files.write("no-extension", bytes: Self.gzipMembers[0] + Self.gzipMembers[1])
        let (records, summary) = try Self.read([path])
        #expect(summary.files.first?.isCompressed == true)
        #expect(records.map(\.model) == ["gpt-4o-mini", "gpt-4o"])
        #expect(records.map(\.source.line) == [1, 2])
    }

    @Test func aTruncatedGzipFileIsAnErrorNamingIt() throws {
        let files = try TemporaryLogFiles()
        let path = try files.write("cut.jsonl.gz", bytes: Array(Self.gzipMembers[0].prefix(40)))
        let error = #expect(throws: UsageLogError.self) { try Self.read([path]) }
        #expect(error?.message.contains("cut.jsonl.gz") == true)
        #expect(error?.message.contains("truncated") == true)
    }

    @Test func severalFilesAreReadInTheOrderGiven() throws {
        let files = try TemporaryLogFiles()
        let csv = try files.write("b.csv", "model,prompt\nfrom-csv,Hello\n")
        let jsonl = try files.write("a.jsonl", Self.chatLine + "\n" + Self.chatLine + "\n")
        let (records, summary) = try Self.read([csv, jsonl])
        #expect(records.map(\.model) == ["from-csv", "gpt-4o-mini", "gpt-4o-mini"])
        #expect(records.map(\.source.file) == [csv, jsonl, jsonl])
        #expect(summary.files.map(\.format) == [.csv, .openAIRequests])
        #expect(summary.records == 3)
        #expect(summary.linesRead == 4)
    }

    @Test func crlfLineEndingsAndAByteOrderMarkAreRead() throws {
        let files = try TemporaryLogFiles()
        let path = try files.write("windows.jsonl", bytes: [0xEF, 0xBB, 0xBF] + Array((Self.chatLine + "\r\n\r\n" + Self.chatLine + "\r\n").utf8))
        let (records, summary) = try Self.read([path])
        #expect(records.count == 2)
        #expect(records.map(\.source.line) == [1, 3])
        #expect(summary.skippedEntries == 0)
    }

    @Test func anEmptyFileGivesNoRecordsAndNoError() throws {
        let files = try TemporaryLogFiles()
        let (records, summary) = try Self.read([try files.write("empty.jsonl", ""), try files.write("blank.jsonl", "\n  \n")])
        #expect(records.isEmpty)
        #expect(summary.files.map(\.format) == [nil, nil])
        #expect(!summary.isMostlyUnreadable)
    }

    @Test func badLinesAreCountedAndTheFirstFewKeptWithFileLineAndReason() throws {
        let files = try TemporaryLogFiles()
        var lines = Array(repeating: Self.chatLine, count: 10)
        for line in [2, 4, 5, 6, 7, 8] { lines[line - 1] = "{broken" }
        lines.append(#"{"model":"m","messages":[]"#)
        let path = try files.write("mixed.jsonl", lines.joined(separator: "\n"))
        let (records, summary) = try Self.read([path])
        #expect(records.count == 4)
        #expect(summary.skippedEntries == 7)
        #expect(summary.problems.count == UsageLogReadSummary.problemLimit)
        #expect(summary.problems.map(\.location) == [2, 4, 5, 6, 7].map { SourceLocation(file: path, line: $0) })
        #expect(summary.problems[0].reason.contains("not valid JSON"))
        #expect(summary.problems[0].description.hasPrefix("\(path):2: "))
    }

    @Test func theRunFailsOnlyWhenMostEntriesAreUnreadable() throws {
        let files = try TemporaryLogFiles()
        let good = try files.write("good.jsonl", Array(repeating: Self.chatLine, count: 3).joined(separator: "\n"))
        let half = try files.write("half.jsonl", [Self.chatLine, Self.chatLine, "oops", "oops"].joined(separator: "\n"))
        let (_, halfSummary) = try Self.read([half])
        // Exactly half is not most.
        #expect(!halfSummary.isMostlyUnreadable)
        try halfSummary.requireMostlyReadable()

        let bad = try files.write("bad.jsonl", ([Self.chatLine] + Array(repeating: #"{"model":"#, count: 5)).joined(separator: "\n"))
        let (_, badSummary) = try Self.read([good, bad])
        // 5 bad of 9 entries.
        #expect(badSummary.isMostlyUnreadable)
        #expect(badSummary.files.map(\.isMostlyUnreadable) == [false, true])
        let error = #expect(throws: UsageLogError.self) { try badSummary.requireMostlyReadable() }
        #expect(error?.file == bad)
        #expect(error?.message.contains("5 of 6 entries of '\(bad)'") == true)
        #expect(error?.message.contains("\(bad):2:") == true)
    }

    @Test func aMissingFileIsAnErrorNamingItBeforeAnythingIsRead() throws {
        let files = try TemporaryLogFiles()
        let present = try files.write("present.jsonl", Self.chatLine)
        let missing = files.directory.appendingPathComponent("missing.jsonl").path
        var reader = UsageLogReader(paths: [present, missing])
        var count = 0
        let error = #expect(throws: UsageLogError.self) { try reader.forEach { _ in count += 1 } }
        #expect(count == 0)
        #expect(error?.file == missing)
        #expect(error?.message.contains("No such file") == true)
    }

    @Test func aFileOfNoKnownFormatIsAnErrorAskingForFormat() throws {
        let files = try TemporaryLogFiles()
        let path = try files.write("notes.txt", "dear diary\nnothing happened\n")
        let error = #expect(throws: UsageLogError.self) { try Self.read([path]) }
        #expect(error?.message.contains("notes.txt") == true)
        #expect(error?.message.contains("--format") == true)
    }

    @Test func aCSVHeaderWithNoKnownColumnIsAnError() throws {
        let files = try TemporaryLogFiles()
        let path = try files.write("people.csv", "name,age\nAnn,3\n")
        let error = #expect(throws: UsageLogError.self) { try Self.read([path], format: .csv) }
        #expect(error?.message.contains("name, age") == true)
    }

    @Test func linesLongerThanAChunkAreAssembled() throws {
        let files = try TemporaryLogFiles()
        let long = String(repeating: "x", count: 3 << 20)
        let line = #"{"model":"m","prompt":"\#(long)"}"#
        let path = try files.write("long.jsonl", line + "\n" + Self.chatLine)
        let (records, _) = try Self.read([path])
        #expect(records.count == 2)
        #expect(records[0].promptText?.utf8.count == 3 << 20)
    }
}
