/// How the fake upstream answers, set by a test (or per request by the model name).
///
/// Model names script single requests, so clients that cannot set anything else (an SDK in another
/// process) can still ask for failures: `error-<status>` answers that HTTP status with an OpenAI error
/// body, `slow-<milliseconds>` waits that long before answering, `cut-stream` breaks a stream off
/// halfway, before its final event.
public struct FakeUpstreamBehavior: Sendable {
    /// Added before every answer's head.
    public var latency: Duration
    /// A random extra latency up to this much, for realistic spreads (the demo); zero in tests.
    public var latencyJitter: Duration
    /// Delay between streamed chunks.
    public var chunkInterval: Duration
    /// Answer the next this-many requests with ``failureStatus``.
    public var failuresRemaining: Int
    /// The status of scripted failures.
    public var failureStatus: Int

    public init(
        latency: Duration = .zero, latencyJitter: Duration = .zero, chunkInterval: Duration = .zero,
        failuresRemaining: Int = 0, failureStatus: Int = 500
    ) {
        self.latency = latency
        self.latencyJitter = latencyJitter
        self.chunkInterval = chunkInterval
        self.failuresRemaining = failuresRemaining
        self.failureStatus = failureStatus
    }
}
