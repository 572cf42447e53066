/// A store that could not do what it was asked, with what to do about it.
///
/// The gateway never fails a client request on one of these: it answers from upstream and marks the
/// answer `X-Reprise-Status: bypass`. The admin API shows ``message`` as it is.
public struct CacheStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Code: Sendable, Hashable {
        case unavailable
        case timedOut
        case circuitOpen
        case unsupported
        case protocolViolation
    }

    private let code: Code
    /// What went wrong and what to do; never holds a credential or a prompt.
    public let message: String

    public var description: String { message }

    /// A short, fixed name for the kind of failure, for metric labels and logs.
    public var kind: String {
        switch code {
        case .unavailable: "unavailable"
        case .timedOut: "timeout"
        case .circuitOpen: "circuit-open"
        case .unsupported: "unsupported"
        case .protocolViolation: "protocol"
        }
    }

    /// The store (or one of its servers) cannot be reached.
    public static func unavailable(_ store: String, reason: String) -> CacheStoreError {
        CacheStoreError(code: .unavailable, message: "The cache store \(store) is unavailable: \(reason).")
    }

    /// An operation took longer than its deadline.
    public static func timedOut(_ operation: String, after deadline: Duration) -> CacheStoreError {
        CacheStoreError(
            code: .timedOut,
            message: "The cache store did not finish '\(operation)' within \(deadline); raise cache.store_deadline if the store is slow but healthy.")
    }

    /// The circuit breaker is open after repeated failures; the store is not asked until it is probed again.
    public static func circuitOpen(retryAfter: Duration) -> CacheStoreError {
        CacheStoreError(
            code: .circuitOpen,
            message: "The cache store failed repeatedly and is skipped for now; it is tried again in \(retryAfter).")
    }

    /// The store cannot do this operation at all.
    public static func unsupported(_ message: String) -> CacheStoreError {
        CacheStoreError(code: .unsupported, message: message)
    }

    /// The store answered something that breaks its protocol.
    public static func protocolViolation(_ store: String, detail: String) -> CacheStoreError {
        CacheStoreError(code: .protocolViolation, message: "The cache store \(store) sent an answer that breaks its protocol: \(detail).")
    }

    /// Whether this error says the operation is impossible, rather than that the store failed.
    public var isUnsupported: Bool { code == .unsupported }
}
