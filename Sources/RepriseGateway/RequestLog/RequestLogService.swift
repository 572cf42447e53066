import Foundation
import Logging
import Reprise
import ServiceLifecycle

/// Writes the JSONL request log: one record a line, in the order requests finished, rolling the file
/// over by size. Records are queued in memory and written by this service's task, so the request path
/// never waits for the disk; on shutdown every queued record is written before the service returns.
struct RequestLogService: Service {
    let path: String
    let maximumBytes: Int?
    let maximumFiles: Int
    let records: AsyncStream<RequestLogRecord>
    let continuation: AsyncStream<RequestLogRecord>.Continuation
    let logger: Logger

    init(path: String, maximumBytes: Int?, maximumFiles: Int, logger: Logger) {
        self.path = path
        self.maximumBytes = maximumBytes
        self.maximumFiles = maximumFiles
        self.logger = logger
        (records, continuation) = AsyncStream.makeStream(of: RequestLogRecord.self, bufferingPolicy: .unbounded)
    }

    /// The handle request handlers write through.
    var requestLogger: RequestLogger { RequestLogger(continuation: continuation) }

    /// Opens the file now, so a path that cannot be written fails at start-up rather than later.
    func openFile() throws -> RotatingLogFile {
        try RotatingLogFile(path: path, maximumBytes: maximumBytes, maximumFiles: maximumFiles)
    }

    func run() async throws {
        let file = try openFile()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let continuation = self.continuation
        await withGracefulShutdownHandler {
            for await record in records {
                do {
                    var line = try encoder.encode(record)
                    line.append(0x0A)
                    try file.append(Array(line))
                } catch {
                    logger.error("Request log write failed", metadata: ["Reprise.log.path": "\(path)", "Reprise.error": "\(error)"])
                }
            }
        } onGracefulShutdown: {
            continuation.finish()
        }
        try? file.synchronize()
    }
}
