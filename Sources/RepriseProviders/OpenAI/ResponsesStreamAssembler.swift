import Reprise

/// Assembles a Responses API stream. Its `response.completed` event carries the whole final response
/// object, which is exactly the non-streamed answer; any other ending (`response.failed`,
/// `response.incomplete`, `error`, or no ending) leaves it incomplete.
struct ResponsesStreamAssembler: StreamAssembler {
    private var completed: JSONValue?
    private var failed = false

    var isComplete: Bool { completed != nil && !failed }

    mutating func consume(_ event: ServerSentEvent) {
        guard completed == nil, let body = try? JSONParser.parse(event.data) else { return }
        let type = body["type"]?.stringValue ?? event.name ?? ""
        switch type {
        case "response.completed": completed = body["response"]
        case "response.failed", "response.incomplete", "error": failed = true
        default: break
        }
    }

    func assembledBody() -> JSONValue? {
        isComplete ? completed : nil
    }
}
