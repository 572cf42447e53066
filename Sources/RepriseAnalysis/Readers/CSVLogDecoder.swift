import Reprise

/// Reads a CSV usage log whose first record is a header naming its columns (see ``CSVColumnMap``).
///
/// A prompt column gives the prompt text; a body column holding a JSON request gives the request itself,
/// so exact repeats are keyed as the gateway would key them. Times are read as ``LogTimestamp`` reads them,
/// latency in milliseconds, cost in US dollars.
struct CSVLogDecoder: UsageLineDecoder {
    private var parser = CSVRecordParser()
    private var columns: CSVColumnMap?

    var isInsideEntry: Bool { parser.isInsideRecord }

    mutating func decode(_ line: UnsafeBufferPointer<UInt8>, at location: SourceLocation) throws -> UsageRecord? {
        guard let (row, startLine) = try parser.add(line, number: location.line) else { return nil }
        let start = SourceLocation(file: location.file, line: startLine)
        guard let columns else {
            let map = CSVColumnMap(header: row)
            guard map.isUsable else { throw UsageLogError.unusableHeader(location.file, columns: row) }
            self.columns = map
            return nil
        }
        guard row.count == columns.count else {
            throw LineRejection("has \(row.count) fields, the header has \(columns.count)", line: start.line)
        }
        do {
            return try record(from: row, columns: columns, at: start)
        } catch {
            throw LineRejection(error.reason, line: start.line)
        }
    }

    mutating func finish() throws(LineRejection) {
        try parser.finish()
    }

    private func record(from row: [String], columns: CSVColumnMap, at location: SourceLocation) throws(LineRejection) -> UsageRecord {
        var timestamp: EpochInstant?
        if let text = columns.value(.timestamp, in: row) {
            guard let instant = LogTimestamp.instant(text: text) else { throw LineRejection("unreadable timestamp '\(text.prefix(40))'") }
            timestamp = instant
        }
        let body = columns.value(.body, in: row).map { JSONValue.string($0).unwrappingEmbeddedJSON }.flatMap { value -> JSONValue? in
            if value.hasPromptFields { return value }
            // A column of messages alone.
            if value.arrayValue != nil { return ["messages": value] }
            return nil
        }
        let prompt = columns.value(.prompt, in: row)
        let promptTokens = try integer(.promptTokens, in: row, columns: columns)
        let completionTokens = try integer(.completionTokens, in: row, columns: columns)
        let usage =
            promptTokens != nil || completionTokens != nil
            ? TokenUsage(
                promptTokens: promptTokens ?? 0, completionTokens: completionTokens ?? 0,
                cachedPromptTokens: try integer(.cachedTokens, in: row, columns: columns) ?? 0)
            : nil
        guard body != nil || prompt != nil || usage != nil else { throw LineRejection("no prompt, request or token counts") }
        let model = columns.value(.model, in: row) ?? body?.firstString("model")
        let route = columns.value(.route, in: row).flatMap(RequestRoute.path(fromURL:))
            ?? body.map(RequestRoute.inferred(for:)) ?? RequestRoute.chatCompletions
        return UsageRecord(
            timestamp: timestamp, model: model, route: route, request: body, promptText: prompt ?? body.map { PromptText(body: $0).all },
            response: columns.value(.response, in: row).map { JSONValue.string($0).unwrappingEmbeddedJSON }, usage: usage,
            costUSD: try number(.cost, in: row, columns: columns),
            latency: try number(.latencyMilliseconds, in: row, columns: columns).map { .milliseconds($0) }, source: location)
    }

    private func integer(_ field: CSVColumnMap.Field, in row: [String], columns: CSVColumnMap) throws(LineRejection) -> Int? {
        guard let value = try number(field, in: row, columns: columns) else { return nil }
        guard value >= 0, value.rounded() == value, let whole = Int(exactly: value) else {
            throw LineRejection("\(CSVColumnMap.aliases[field]![0]) must be a whole number, got '\(value)'")
        }
        return whole
    }

    private func number(_ field: CSVColumnMap.Field, in row: [String], columns: CSVColumnMap) throws(LineRejection) -> Double? {
        guard let text = columns.value(field, in: row) else { return nil }
        guard let value = Double(text.trimmingSpaces), value.isFinite else {
            throw LineRejection("\(CSVColumnMap.aliases[field]![0]) must be a number, got '\(text.prefix(40))'")
        }
        return value
    }
}
