import Reprise

/// Rebuilds the non-streamed answer from a streamed one, event by event, and tells whether the stream
/// reached its final event (only then is the answer complete enough to cache).
protocol StreamAssembler: Sendable {
    /// Takes the next event of the stream.
    mutating func consume(_ event: ServerSentEvent)
    /// Whether the stream's final event has been seen: `[DONE]` for chat and text completions,
    /// `response.completed` for the Responses API, `message_stop` for Anthropic's Messages API.
    var isComplete: Bool { get }
    /// The answer in non-streamed form, once complete.
    func assembledBody() -> JSONValue?
}

/// Which assembler and replayer a route's streams use.
enum StreamFormat: Sendable {
    case chatCompletions
    case textCompletions
    case responses
    case anthropicMessages

    init?(route: String) {
        switch route {
        case "/v1/chat/completions": self = .chatCompletions
        case "/v1/completions": self = .textCompletions
        case "/v1/responses": self = .responses
        case "/v1/messages": self = .anthropicMessages
        default: return nil
        }
    }

    func makeAssembler() -> any StreamAssembler {
        switch self {
        case .chatCompletions: ChoiceStreamAssembler(kind: .chat)
        case .textCompletions: ChoiceStreamAssembler(kind: .text)
        case .responses: ResponsesStreamAssembler()
        case .anthropicMessages: MessageStreamAssembler()
        }
    }
}
