import Logging
import Synchronization

/// A log handler that keeps every line, with its metadata, for tests that check what was logged.
public struct RecordingLogHandler: LogHandler {
    /// The lines written through any handler sharing this record.
    public final class Record: Sendable {
        private let lines = Mutex<[String]>([])

        public init() {}

        public var text: String { lines.withLock { $0.joined(separator: "\n") } }

        func append(_ line: String) {
            lines.withLock { $0.append(line) }
        }
    }

    public let record: Record
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level

    public init(record: Record, level: Logger.Level = .trace) {
        self.record = record
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        record.append("\(event.level) \(event.message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}
