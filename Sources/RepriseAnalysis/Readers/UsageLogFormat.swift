import Reprise

/// The formats of usage log that ``UsageLogReader`` reads; detected from a file's first lines, or forced.
public enum UsageLogFormat: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    /// Reprise's own request log (``RequestLogRecord`` JSON lines).
    case repriseLog = "reprise"
    /// OpenAI-style JSON lines: a request body per line, optionally with `response`, `usage` and a time.
    case openAIRequests = "openai"
    /// OpenAI Batch API input: `custom_id`, `method`, `url`, `body`.
    case openAIBatch = "openai-batch"
    /// Another gateway's log export, with LiteLLM or Helicone field names.
    case gatewayExport = "gateway"
    /// CSV with a header naming its columns.
    case csv = "csv"
    /// Traces without request bodies: token counts, prompt block hashes, or prompts alone.
    case tokenTrace = "trace"

    /// How many non-empty lines detection looks at.
    public static let detectionLineCount = 10

    public var description: String {
        switch self {
        case .repriseLog: "Reprise request log"
        case .openAIRequests: "OpenAI-style request JSONL"
        case .openAIBatch: "OpenAI Batch API input"
        case .gatewayExport: "gateway export (LiteLLM, Helicone)"
        case .csv: "CSV with a header"
        case .tokenTrace: "token-count trace"
        }
    }

    /// The format named by a `--format` argument: a raw value, or `litellm` / `helicone` for ``gatewayExport``.
    public init?(argument: String) {
        let name = argument.lowercased()
        switch name {
        case "litellm", "helicone": self = .gatewayExport
        case "batch": self = .openAIBatch
        case "jsonl": self = .openAIRequests
        default: self.init(rawValue: name)
        }
    }

    /// The JSON-lines formats in the order detection tries them: the most specific first.
    private static let jsonFormats: [UsageLogFormat] = [.repriseLog, .openAIBatch, .gatewayExport, .tokenTrace, .openAIRequests]

    /// How lines of this format are recognized and mapped; `nil` for CSV.
    private var jsonMapping: (any JSONLineMapping.Type)? {
        switch self {
        case .repriseLog: RepriseLogLine.self
        case .openAIRequests: OpenAIRequestLine.self
        case .openAIBatch: OpenAIBatchLine.self
        case .gatewayExport: GatewayExportLine.self
        case .tokenTrace: TokenTraceLine.self
        case .csv: nil
        }
    }

    /// The format of a file that starts with `lines` (non-empty ones are used, up to ``detectionLineCount``).
    ///
    /// A first line that is not a JSON object is taken as a CSV header when it names known columns.
    /// Otherwise each line that parses as a JSON object votes for the first format whose fields it has; the
    /// format with most votes wins (the earliest on a tie), and lines that are not JSON are ignored.
    /// - Returns: `nil` when no line matches a format.
    public static func detect<Line: Collection<UInt8>>(_ lines: [Line]) -> UsageLogFormat? {
        let candidates = lines.lazy.filter { line in line.contains { $0 > 0x20 } }.prefix(detectionLineCount)
        guard let first = candidates.first else { return nil }
        if first.first(where: { $0 > 0x20 }) != UInt8(ascii: "{"), isCSVHeader(Array(first)) { return .csv }
        var votes: [UsageLogFormat: Int] = [:]
        var order: [UsageLogFormat] = []
        for line in candidates {
            guard let value = try? JSONParser.parse(line), value.objectValue != nil,
                let format = jsonFormats.first(where: { $0.jsonMapping?.matches(value) == true })
            else { continue }
            if votes[format] == nil { order.append(format) }
            votes[format, default: 0] += 1
        }
        let most = votes.values.max()
        return order.first { votes[$0] == most }
    }

    private static func isCSVHeader(_ line: [UInt8]) -> Bool {
        line.withUnsafeBufferPointer { buffer in
            var parser = CSVRecordParser()
            guard let (header, _) = try? parser.add(buffer, number: 1) else { return false }
            return CSVColumnMap(header: header).isUsable
        }
    }

    /// The format of a file that starts with these lines of text.
    public static func detect(lines: [String]) -> UsageLogFormat? {
        detect(lines.map { Array($0.utf8) })
    }

    /// A decoder for one file in this format.
    func makeDecoder() -> any UsageLineDecoder {
        switch self {
        case .repriseLog: JSONLinesDecoder<RepriseLogLine>()
        case .openAIRequests: JSONLinesDecoder<OpenAIRequestLine>()
        case .openAIBatch: JSONLinesDecoder<OpenAIBatchLine>()
        case .gatewayExport: JSONLinesDecoder<GatewayExportLine>()
        case .csv: CSVLogDecoder()
        case .tokenTrace: JSONLinesDecoder<TokenTraceLine>()
        }
    }
}
