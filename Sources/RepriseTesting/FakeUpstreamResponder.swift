import HTTPTypes
import Hummingbird
import NIOCore
import Reprise

/// Routes the fake upstream's requests.
struct FakeUpstreamResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let upstream: FakeUpstream

    func respond(to request: Request, context: Context) async throws -> Response {
        let target = FakeRoute(path: request.uri.path)
        let path = target.path
        if path == "/fake/calls" { return FakeAnswers.json(upstream.callsByModel()) }
        if path == "/v1/fake/early-answer" {
            // Answers before reading the body, as some servers do with an upload they refuse.
            upstream.recordEarlyAnswer()
            return FakeAnswers.json(["early": true])
        }
        let bytes = try await request.body.collect(upTo: 64 * 1024 * 1024)
        let parsedBody = try? JSONParser.parse(bytes.readableBytesView)
        // An Azure deployment in the path stands for the body's model.
        let body = target.model.map { model in parsedBody.map { $0.settingModel(model) } } ?? parsedBody
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let model = target.model ?? body?["model"]?.stringValue ?? "gpt-4o-mini"
        let (behavior, failure) = upstream.admit(path: request.uri.path, model: model, headers: headers, body: body)
        let anthropic = path.hasPrefix("/v1/messages") || headers["anthropic-version"] != nil
        let error = target.gemini != nil ? FakeAnswers.geminiError : anthropic ? FakeAnswers.anthropicError : FakeAnswers.error
        await upstream.waitWhileHeld()
        try await Task.sleep(for: delay(behavior: behavior, model: model))
        if let failure { return error(failure, "Scripted failure from the fake upstream.") }
        if model.hasPrefix("error-"), let status = Int(model.dropFirst(6)), (400..<600).contains(status) {
            var response = error(status, "The fake upstream was asked to fail with \(status).")
            if status == 429 || status == 503 { response.headers[HTTPField.Name("retry-after")!] = "7" }
            return response
        }
        if model == "error-body" { return FakeHostility.errorBody() }
        if let count = FakeHostility.usageCount(model: model) {
            return try await hostileUsage(request: request, path: path, body: body, count: count, behavior: behavior)
        }
        let identifier = upstream.nextIdentifier()
        if let gemini = target.gemini {
            guard let body else { return error(400, "Body must be JSON.") }
            let answer = FakeAnswers.geminiResponse(for: body, model: model, identifier: identifier)
            switch gemini {
            case "generateContent": return FakeAnswers.json(answer)
            case "streamGenerateContent": return stream(FakeAnswers.geminiStream(answer), behavior: behavior, model: model)
            default: return error(404, "The fake upstream has no Gemini method \(gemini).")
            }
        }
        switch (request.method, path) {
        case (.get, "/v1/models"): return FakeAnswers.json(FakeAnswers.models())
        case (.post, "/v1/chat/completions"):
            guard let body else { return error(400, "Body must be JSON.") }
            let cached = upstream.automaticCachedTokens(for: body)
            if body["stream"]?.boolValue == true {
                return stream(FakeStreams.chatCompletion(for: body, identifier: identifier, cachedTokens: cached), behavior: behavior, model: model)
            }
            return FakeAnswers.json(FakeAnswers.chatCompletion(for: body, identifier: identifier, cachedTokens: cached))
        case (.post, "/v1/completions"):
            guard let body else { return error(400, "Body must be JSON.") }
            if body["stream"]?.boolValue == true {
                return stream(FakeStreams.textCompletion(for: body, identifier: identifier), behavior: behavior, model: model)
            }
            return FakeAnswers.json(FakeAnswers.textCompletion(for: body, identifier: identifier))
        case (.post, "/v1/embeddings"):
            guard let body else { return error(400, "Body must be JSON.") }
            return FakeAnswers.json(FakeAnswers.embeddings(for: body))
        case (.post, "/v1/responses"):
            guard let body else { return error(400, "Body must be JSON.") }
            if body["stream"]?.boolValue == true {
                return stream(FakeStreams.response(for: body, identifier: identifier), behavior: behavior, model: model)
            }
            return FakeAnswers.json(FakeAnswers.response(for: body, identifier: identifier))
        case (.post, "/v1/messages"):
            guard let body else { return error(400, "Body must be JSON.") }
            let answer = FakeAnswers.message(for: body, identifier: identifier, cache: upstream.promptCacheUsage(for: body))
            if body["stream"]?.boolValue == true {
                return stream(FakeStreams.message(answer), behavior: behavior, model: model)
            }
            return FakeAnswers.json(answer)
        case (.post, "/v1/messages/count_tokens"):
            guard let body else { return error(400, "Body must be JSON.") }
            return FakeAnswers.json(["input_tokens": .number(JSONNumber(FakePromptCacheUsage.breakpoints(of: body).total))])
        default:
            return error(404, "The fake upstream has no route \(request.method) \(path).")
        }
    }

    /// The well-formed answer for `path`, with every usage count set to `count`.
    private func hostileUsage(request: Request, path: String, body: JSONValue?, count: JSONValue, behavior: FakeUpstreamBehavior) async throws -> Response {
        guard let body else { return FakeAnswers.error(status: 400, message: "Body must be JSON.") }
        let identifier = upstream.nextIdentifier()
        let streams = body["stream"]?.boolValue == true
        switch path {
        case "/v1/messages":
            let answer = FakeAnswers.message(for: body, identifier: identifier, cache: upstream.promptCacheUsage(for: body))
            guard streams else { return FakeAnswers.json(FakeHostility.overridingUsage(answer, with: count)) }
            return stream(FakeHostility.overridingUsage(inEvents: FakeStreams.message(answer), with: count), behavior: behavior, model: "")
        default:
            guard streams else {
                return FakeAnswers.json(FakeHostility.overridingUsage(FakeAnswers.chatCompletion(for: body, identifier: identifier), with: count))
            }
            let events = FakeStreams.chatCompletion(for: body, identifier: identifier)
            return stream(FakeHostility.overridingUsage(inEvents: events, with: count), behavior: behavior, model: "")
        }
    }

    /// Sends `events` as a stream, broken off halfway for the `cut-stream` model.
    private func stream(_ events: [String], behavior: FakeUpstreamBehavior, model: String) -> Response {
        FakeStreams.eventStream(
            events, interval: behavior.chunkInterval, breaksOff: model == "cut-stream",
            onFinish: { [upstream] in upstream.recordCompletedStream() })
    }

    private func delay(behavior: FakeUpstreamBehavior, model: String) -> Duration {
        var delay = behavior.latency
        if behavior.latencyJitter > .zero {
            delay += behavior.latencyJitter * Double.random(in: 0...1)
        }
        if model.hasPrefix("slow-"), let milliseconds = Int(model.dropFirst(5)) {
            delay += .milliseconds(milliseconds)
        }
        return delay
    }
}
