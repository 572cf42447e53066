import Foundation
import RepriseAnalysis
import Testing

@Suite struct ProgressTests {
    @Test func theReaderReportsBytesAndLinesAcrossFiles() throws {
        let files = try TemporaryLogFiles()
        let line = #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}"# + "\n"
        let first = try files.write("a.jsonl", String(repeating: line, count: 10_000))
        let second = try files.write("b.jsonl", String(repeating: line, count: 5_000))
        var reader = UsageLogReader(paths: [first, second])
        var seen: [UsageLogProgress] = []
        var records = 0
        try reader.forEach(progress: { seen.append($0) }) { _ in records += 1 }
        #expect(records == 15_000)
        let total = line.utf8.count * 15_000
        // Every 4,096 lines of each file: 4,096 and 8,192 in the first, then 4,096 into the second.
        #expect(seen.map(\.linesRead) == [4096, 8192, 14_096])
        #expect(seen.allSatisfy { $0.totalBytes == total })
        #expect(seen.map(\.bytesRead) == seen.map(\.bytesRead).sorted())
        #expect(seen.last!.bytesRead > line.utf8.count * 10_000)
        #expect(seen.last!.bytesRead <= total)
    }

    @Test func theLineShowsTheBarShareLinesRateAndTimeLeft() {
        let progress = UsageLogProgress(bytesRead: 250, totalBytes: 1000, linesRead: 1_204_332)
        let line = ProgressLine(width: 8).rendered(progress, elapsed: 10)
        #expect(line == "[██░░░░░░]  25%  1,204,332 lines  120,433 lines/s  about 30 s left")
    }

    @Test func theLineCopesWithNothingReadAndUnknownSizes() {
        let line = ProgressLine(width: 4).rendered(UsageLogProgress(bytesRead: 0, totalBytes: 0, linesRead: 0), elapsed: 0)
        #expect(line == "[░░░░]   0%  0 lines")
        let done = ProgressLine(width: 4).rendered(UsageLogProgress(bytesRead: 10, totalBytes: 10, linesRead: 999), elapsed: 125)
        #expect(done == "[████] 100%  999 lines  7 lines/s")
    }
}
