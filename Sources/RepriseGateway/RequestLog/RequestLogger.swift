import Reprise

/// Hands request-log records to the ``RequestLogService`` without waiting for the disk.
struct RequestLogger: Sendable {
    private let continuation: AsyncStream<RequestLogRecord>.Continuation?

    /// A logger that writes into `continuation`'s stream.
    init(continuation: AsyncStream<RequestLogRecord>.Continuation) {
        self.continuation = continuation
    }

    /// A logger that writes nothing, when no request log is configured.
    static let disabled = RequestLogger()

    private init() {
        self.continuation = nil
    }

    var isEnabled: Bool { continuation != nil }

    func record(_ record: RequestLogRecord) {
        continuation?.yield(record)
    }
}
