import Reprise

/// Reads one file of a usage log: detects its format from its first lines (unless forced), decodes each
/// entry, counts and skips bad ones.
struct UsageLogFileReader {
    let path: String
    let forcedFormat: UsageLogFormat?
    var splitter = LineSplitter()

    /// Lines held back while the format is not known yet: up to ``UsageLogFormat/detectionLineCount``
    /// non-empty ones, and at most this many in all.
    static let maximumHeldLines = 10_000

    /// Reads the file, calling `body` with each record, and notes counts and problems in `summary`.
    /// `progress` is told the file's bytes and lines read so far every few thousand lines.
    func read(into summary: inout UsageLogReadSummary, progress: (_ bytes: Int, _ lines: Int) -> Void = { _, _ in }, _ body: (UsageRecord) throws -> Void) throws {
        let source = try LogByteSource(path: path)
        var file = UsageLogFileSummary(path: path, format: forcedFormat)
        file.isCompressed = source.isCompressed
        defer { summary.files.append(file) }
        var decoder = forcedFormat?.makeDecoder()
        var held: [(line: [UInt8], number: Int)] = []
        var heldNonEmpty = 0

        func handle(_ line: UnsafeBufferPointer<UInt8>, number: Int, overlong: Bool, decoder: inout any UsageLineDecoder) throws {
            let location = SourceLocation(file: path, line: number)
            if overlong {
                reject(LineRejection("line longer than \(splitter.maximumLineLength >> 20) MiB"), at: location)
                return
            }
            if !decoder.isInsideEntry, Self.isBlank(line) { return }
            let record: UsageRecord?
            do {
                record = try decoder.decode(line, at: location)
            } catch let rejection as LineRejection {
                reject(rejection, at: location)
                return
            }
            if let record {
                file.records += 1
                try body(record)
            }
        }
        func reject(_ rejection: LineRejection, at location: SourceLocation) {
            file.skippedEntries += 1
            summary.note(UsageLogProblem(location: SourceLocation(file: path, line: rejection.line ?? location.line), reason: rejection.reason))
        }
        func startDecoding() throws {
            guard heldNonEmpty > 0 else { return }
            guard let format = UsageLogFormat.detect(held.map(\.line)) else {
                let first = held.first { !Self.isBlank($0.line) }!
                throw UsageLogError.undetectableFormat(path, line: first.number, start: Self.excerpt(first.line))
            }
            file.format = format
            var newDecoder = format.makeDecoder()
            for entry in held {
                try entry.line.withUnsafeBufferPointer { try handle($0, number: entry.number, overlong: false, decoder: &newDecoder) }
            }
            held = []
            decoder = newDecoder
        }

        try splitter.forEachLine(in: source) { line, number, overlong in
            file.linesRead = number
            if number % 4096 == 0 { progress(source.fileBytesRead, number) }
            if var active = decoder {
                decoder = nil  // keeps the existential uniquely referenced while it decodes
                defer { decoder = active }
                try handle(line, number: number, overlong: overlong, decoder: &active)
                return
            }
            held.append((Array(line), number))
            if !Self.isBlank(line) { heldNonEmpty += 1 }
            if heldNonEmpty >= UsageLogFormat.detectionLineCount || held.count >= Self.maximumHeldLines {
                try startDecoding()
            }
        }
        if decoder == nil { try startDecoding() }
        do {
            try decoder?.finish()
        } catch {
            reject(error, at: SourceLocation(file: path, line: file.linesRead))
        }
    }

    static func isBlank(_ line: some Collection<UInt8>) -> Bool {
        !line.contains { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }
    }

    /// The start of a line, printable, for messages.
    static func excerpt(_ line: [UInt8]) -> String {
        let text = String(decoding: line.prefix(40), as: UTF8.self)
        return String(text.map { $0.isASCII && ($0.asciiValue! < 0x20 || $0.asciiValue! == 0x7F) ? "?" : $0 })
            + (line.count > 40 ? "…" : "")
    }
}
