/// A remote embeddings endpoint that could not be reached or answered something unusable.
///
/// The message names the URL and the problem, quotes the endpoint's own error message when it sent one, and
/// says what to do. It never contains the API key.
public struct RemoteEmbedderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, for callers that react differently (a metric label, a retry).
    public enum Kind: String, Sendable, Hashable {
        /// No answer: connection refused, DNS failure, TLS failure, timeout.
        case unreachable
        /// The endpoint answered with a status other than 2xx.
        case upstreamStatus
        /// The answer is not the `/v1/embeddings` JSON shape.
        case malformedAnswer
        /// The answer holds a different number of embeddings than texts were sent.
        case wrongCount
        /// The vectors do not have the dimension the embedder was set up with.
        case inconsistentDimension
    }

    public let kind: Kind
    /// The HTTP status, for ``Kind/upstreamStatus``.
    public let status: Int?
    /// A sentence naming the URL and the problem, ending with what to do.
    public let message: String

    public var description: String { message }

    private init(_ kind: Kind, status: Int? = nil, _ message: String) {
        self.kind = kind
        self.status = status
        self.message = message
    }

    static func unreachable(_ url: String, reason: String) -> RemoteEmbedderError {
        RemoteEmbedderError(
            .unreachable,
            "The embeddings endpoint '\(url)' could not be reached: \(reason). Check the base URL and that the server is running, or raise the timeout if it is slow.")
    }

    static func upstreamStatus(_ url: String, status: Int, upstreamMessage: String, attempts: Int = 1) -> RemoteEmbedderError {
        let remedy: String
        switch status {
        case 401, 403: remedy = "Check the API key."
        case 404: remedy = "Check the base URL (without /v1) and the model name."
        case 400, 422: remedy = "Check the model name and the dimensions setting; the endpoint refused the request."
        case 429: remedy = "The endpoint is rate limiting; lower the request rate or raise the quota."
        default: remedy = "The endpoint failed; try again later or check its logs."
        }
        let quoted = upstreamMessage.isEmpty ? "" : ": \(upstreamMessage)"
        let tries = attempts > 1 ? " (\(attempts) attempts)" : ""
        return RemoteEmbedderError(.upstreamStatus, status: status, "The embeddings endpoint '\(url)' answered \(status)\(quoted)\(tries). \(remedy)")
    }

    static func malformedAnswer(_ url: String, reason: String) -> RemoteEmbedderError {
        RemoteEmbedderError(
            .malformedAnswer,
            "The embeddings endpoint '\(url)' answered something that is not an embeddings list: \(reason). Check that the base URL points at an OpenAI-compatible API.")
    }

    static func wrongCount(_ url: String, sent: Int, received: Int) -> RemoteEmbedderError {
        RemoteEmbedderError(
            .wrongCount,
            "The embeddings endpoint '\(url)' answered \(received) embeddings for \(sent) texts. It does not follow the OpenAI batch contract; lower the maximum batch size to 1 for such a server.")
    }

    static func inconsistentDimension(_ url: String, expected: Int, received: Int) -> RemoteEmbedderError {
        RemoteEmbedderError(
            .inconsistentDimension,
            "The embeddings endpoint '\(url)' answered vectors of \(received) dimensions, but this embedder was set up for \(expected). Set the dimension to \(received) (or a 'dimensions' the model supports), and drop vectors stored with the other size.")
    }
}
