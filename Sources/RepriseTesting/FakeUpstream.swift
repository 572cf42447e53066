import Hummingbird
import Logging
import Reprise
import Synchronization

/// An OpenAI- and Anthropic-compatible upstream for tests and the offline demo, on a loopback port.
///
/// It answers `POST /v1/chat/completions`, `/v1/completions`, `/v1/embeddings`, `/v1/responses`,
/// Anthropic's `/v1/messages` (with a simulated prompt cache honouring `cache_control`) and
/// `/v1/messages/count_tokens` with well-formed bodies (unique ids, so a cached answer is told from a fresh one; token counts in
/// `usage`), streams Server-Sent Events when asked (chat and text completions as chunks ending in
/// `[DONE]`, the Responses API as typed events ending in `response.completed`), lists models at
/// `GET /v1/models`, and counts calls. `POST /v1/fake/early-answer` answers before reading its body.
/// Latency and failures are scripted with ``behavior`` or per request by model name (see
/// ``FakeUpstreamBehavior``).
public final class FakeUpstream: Sendable {
    struct State {
        var behavior = FakeUpstreamBehavior()
        var calls: [String: Int] = [:]
        var callsByModel: [String: Int] = [:]
        var lastHeaders: [String: String] = [:]
        var lastBody: JSONValue?
        var nextIdentifier = 1
        var completedStreams = 0
        var earlyAnswers = 0
        /// Prefixes in the fake's Anthropic prompt cache (never expiring).
        var cachedPrefixes: Set<String> = []
    }

    let state = Mutex(State())
    /// Where answers wait while ``holdAnswers()`` holds them.
    private let answers = Gate(open: true)

    public init(behavior: FakeUpstreamBehavior = FakeUpstreamBehavior()) {
        state.withLock { $0.behavior = behavior }
    }

    /// The current script.
    public var behavior: FakeUpstreamBehavior {
        get { state.withLock { $0.behavior } }
        set { state.withLock { $0.behavior = newValue } }
    }

    /// Makes every answer from now on wait, after its call is counted, until ``releaseAnswers()``: a test
    /// sees a call under way for as long as it needs, however busy the machine, with no timing to tune.
    /// The test must release them before the fake stops.
    public func holdAnswers() {
        answers.close()
    }

    /// Lets the held answers and every later one go.
    public func releaseAnswers() {
        answers.open()
    }

    func waitWhileHeld() async {
        await answers.wait()
    }

    /// Upstream calls received on `path`, or on every path when `nil`.
    public func callCount(path: String? = nil) -> Int {
        state.withLock { state in
            guard let path else { return state.calls.values.reduce(0, +) }
            return state.calls[path] ?? 0
        }
    }

    /// Streams sent to their last event. A stream whose client (the gateway) went away first is not
    /// counted, so a test can tell an abandoned upstream call from one that ran to its end.
    public var completedStreamCount: Int { state.withLock { $0.completedStreams } }

    func recordCompletedStream() {
        state.withLock { $0.completedStreams += 1 }
    }

    /// Requests to `POST /v1/fake/early-answer`, answered before their body was read.
    public var earlyAnswerCount: Int { state.withLock { $0.earlyAnswers } }

    func recordEarlyAnswer() {
        state.withLock { $0.earlyAnswers += 1 }
    }

    /// The headers of the last request, by lower-cased name.
    public var lastRequestHeaders: [String: String] { state.withLock { $0.lastHeaders } }

    /// The JSON body of the last request, when it had one.
    public var lastRequestBody: JSONValue? { state.withLock { $0.lastBody } }

    /// Builds the application serving this fake on `host:port` (0 picks a free port).
    public func application(
        host: String = "127.0.0.1", port: Int = 0, logger: Logger = Logger(label: "reprise.fake-upstream"),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            responder: FakeUpstreamResponder(upstream: self),
            configuration: .init(address: .hostname(host, port: port), serverName: "fake-upstream"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Runs the fake on a free loopback port for the duration of `body`, which receives the base URL
    /// (such as `http://127.0.0.1:53117`).
    /// - Parameter logger: the server's logger; quiet by default, since stopping it by cancellation logs
    ///   at error level.
    public func withRunning<T: Sendable>(
        logger: Logger = Logger(label: "reprise.fake-upstream", factory: { _ in SwiftLogNoOpLogHandler() }),
        _ body: @Sendable (String) async throws -> T
    ) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = application(logger: logger, onServerRunning: { port in continuation.yield(port) })
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            defer { group.cancelAll() }
            return try await body("http://127.0.0.1:\(port)")
        }
    }

    /// Works out, and remembers, what the fake's prompt cache reads and writes for `body`.
    func promptCacheUsage(for body: JSONValue) -> FakePromptCacheUsage {
        let (points, total) = FakePromptCacheUsage.breakpoints(of: body)
        let eligible = points.filter { $0.tokens >= FakePromptCacheUsage.minimumTokens }
        var usage = FakePromptCacheUsage()
        state.withLock { state in
            usage.readTokens = eligible.last { state.cachedPrefixes.contains($0.prefix) }?.tokens ?? 0
            if let last = eligible.last, last.tokens > usage.readTokens {
                usage.writeTokens = last.tokens - usage.readTokens
                if last.oneHour { usage.oneHourWriteTokens = usage.writeTokens }
            }
            for point in eligible { state.cachedPrefixes.insert(point.prefix) }
        }
        usage.inputTokens = max(1, total - usage.readTokens - usage.writeTokens)
        return usage
    }

    /// OpenAI's automatic prompt caching, simplified: a chat prompt whose earlier messages (all but the
    /// last) come to 1,024 tokens or more is cached; a later prompt with the same earlier messages reads
    /// them, in whole blocks of 128 tokens.
    func automaticCachedTokens(for body: JSONValue) -> Int {
        let earlier = JSONValue.array(Array(body["messages"]?.arrayValue?.dropLast() ?? []))
        let tokens = FakeAnswers.tokens(PromptText(body: ["messages": earlier]).all)
        guard tokens >= FakePromptCacheUsage.minimumTokens else { return 0 }
        let prefix = (body["model"]?.stringValue ?? "") + "\u{0}" + earlier.canonicalText
        let seen = state.withLock { state in !state.cachedPrefixes.insert(prefix).inserted }
        return seen ? tokens / 128 * 128 : 0
    }

    func nextIdentifier() -> Int {
        state.withLock { state in
            defer { state.nextIdentifier += 1 }
            return state.nextIdentifier
        }
    }

    /// Upstream calls received for `model` (the body's, or the one the path names).
    public func callCount(model: String) -> Int {
        state.withLock { $0.callsByModel[model] ?? 0 }
    }

    /// Calls by path and by model, as `GET /fake/calls` answers them (for tests in other processes).
    func callsByModel() -> JSONValue {
        state.withLock { state in
            [
                "paths": .object(state.calls.mapValues { .number(JSONNumber($0)) }),
                "models": .object(state.callsByModel.mapValues { .number(JSONNumber($0)) }),
            ]
        }
    }

    /// Counts a call and returns whether it should fail, with the status to fail with.
    func admit(path: String, model: String, headers: [String: String], body: JSONValue?) -> (behavior: FakeUpstreamBehavior, failure: Int?) {
        state.withLock { state in
            state.calls[path, default: 0] += 1
            state.callsByModel[model, default: 0] += 1
            state.lastHeaders = headers
            state.lastBody = body
            var failure: Int? = nil
            if state.behavior.failuresRemaining > 0 {
                state.behavior.failuresRemaining -= 1
                failure = state.behavior.failureStatus
            }
            return (state.behavior, failure)
        }
    }
}
