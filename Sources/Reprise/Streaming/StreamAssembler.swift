/// Rebuilds the non-streamed answer from a streamed one, event by event, and tells whether the stream
/// reached its final event (only then is the answer complete enough to cache).
public protocol StreamAssembler: Sendable {
    /// Takes the next event of the stream.
    mutating func consume(_ event: ServerSentEvent)
    /// Whether the stream's final event has been seen (`[DONE]` for OpenAI's chat and text completions,
    /// `response.completed` for the Responses API, `message_stop` for Anthropic, a finish reason for Gemini).
    var isComplete: Bool { get }
    /// The answer in non-streamed form, once complete.
    func assembledBody() -> JSONValue?
}
