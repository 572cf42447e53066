/// Why an exchange with the upstream over the HTTP/1.1 client failed; ``UpstreamClient/map(_:)`` turns it
/// into the gateway's error (502 or 504).
enum UpstreamConnectionError: Error, Equatable, CustomStringConvertible {
    /// No connection could be opened: refused, unreachable, unknown host, TLS handshake failure or the
    /// connect timeout.
    case connectFailed(String)
    /// The connection closed or broke before any byte of the answer arrived, at once after the request was
    /// written (within ``UpstreamConnectionHandler/keepAliveRaceWindow``). On a connection reused from the
    /// pool this is the keep-alive race (the server closed it while idle), and the request is retried once
    /// on a fresh connection.
    case closedBeforeResponse
    /// The connection closed without an answer well after the request was written: the upstream took it
    /// and gave up. Never retried, since the upstream may have run it.
    case closedAfterRequest
    /// The connection closed or broke in the middle of the answer.
    case closedMidResponse
    /// The upstream sent something that is not HTTP/1.1.
    case malformedResponse(String)
    /// The answer's body is larger than the limit, in bytes.
    case tooLarge(limit: Int)
    /// The overall deadline passed before the answer was complete.
    case timedOut
    /// The caller went away (its task was cancelled, or it stopped reading a streamed body).
    case abandoned
    /// The client was shut down.
    case shutDown

    var description: String {
        switch self {
        case .connectFailed(let reason): "cannot connect to the upstream: \(reason)"
        case .closedBeforeResponse: "the upstream closed the connection before answering"
        case .closedAfterRequest: "the upstream closed the connection after taking the request, without answering"
        case .closedMidResponse: "the upstream closed the connection in the middle of its answer"
        case .malformedResponse(let reason): "the upstream's answer is not valid HTTP/1.1: \(reason)"
        case .tooLarge(let limit): "the upstream's answer is larger than \(limit) bytes"
        case .timedOut: "the upstream did not answer in time"
        case .abandoned: "the request was abandoned"
        case .shutDown: "the upstream client is shut down"
        }
    }
}
