/// A failure talking to Redis: the server could not be reached, refused a command, or broke the protocol.
///
/// The message says what happened and what to check; it never contains a password.
public struct RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is, for callers that react differently to each.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case connectionFailed, connectionClosed, timeout, protocolError, serverError
            case authenticationFailed, clusterUnavailable, tooManyRedirects, shutDown
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The server could not be reached (refused, unreachable, TLS handshake failed).
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection closed with commands still waiting for replies.
        public static let connectionClosed = Code(.connectionClosed)
        /// A connect or a command did not finish within its deadline.
        public static let timeout = Code(.timeout)
        /// The server sent bytes that are not RESP.
        public static let protocolError = Code(.protocolError)
        /// The server answered a command with an error reply.
        public static let serverError = Code(.serverError)
        /// `AUTH` was refused: wrong user name or password.
        public static let authenticationFailed = Code(.authenticationFailed)
        /// No node of the cluster could tell which node serves a slot.
        public static let clusterUnavailable = Code(.clusterUnavailable)
        /// A command was redirected (`MOVED`/`ASK`) more often than the client follows.
        public static let tooManyRedirects = Code(.tooManyRedirects)
        /// The client was shut down.
        public static let shutDown = Code(.shutDown)

        public var description: String { base.rawValue }
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    static func protocolError(_ detail: String) -> RedisError {
        RedisError(code: .protocolError, message: "Redis sent a reply that is not valid RESP: \(detail). Check that the address points at a Redis server (and that TLS is used exactly when the server expects it).")
    }

    static func serverError(_ reply: String, command: String) -> RedisError {
        RedisError(code: .serverError, message: "Redis refused \(command): \(reply)")
    }

    static func connectionClosed(_ address: String) -> RedisError {
        RedisError(code: .connectionClosed, message: "The connection to Redis at \(address) closed before the reply arrived; the command may or may not have run.")
    }

    static func timeout(_ what: String, _ deadline: Duration, _ address: String) -> RedisError {
        RedisError(code: .timeout, message: "\(what) Redis at \(address) took longer than \(deadline); check the server's load and the network, or raise the timeout.")
    }

    static let shutDown = RedisError(code: .shutDown, message: "The Redis client was shut down; create a new store to talk to Redis again.")
}
