import NIOCore
import NIOHTTP1
import NIOPosix
import Reprise
import Synchronization

/// What a flight's participants receive, in order: the answer's head, body chunks as they arrive (for a
/// streamed upstream call), then the result.
enum FlightEvent: Sendable {
    case head(status: Int, headers: HTTPHeaders)
    case chunk(ByteBuffer)
    case finished(FlightResult)
}

/// How an upstream call ended.
enum FlightResult: Sendable {
    /// The upstream answered (any status).
    case answered(FlightAnswer)
    /// The call failed before or while answering.
    case failed(GatewayError)
}

/// A complete upstream answer as the flight saw it.
struct FlightAnswer: Sendable {
    var status: Int
    var headers: HTTPHeaders
    /// The answer in non-streamed form: the body as sent, or a streamed answer assembled.
    var body: ByteBuffer
    /// ``body`` read as JSON, when it is.
    var json: JSONValue?
    var latency: Duration
    /// Whether the upstream streamed the answer.
    var streamed: Bool
    /// Whether a streamed answer reached its final event (always true for a non-streamed one).
    var isComplete: Bool
    /// Whether the answer was stored in the cache.
    var stored: Bool
    /// Whether ``body`` was assembled from an event stream (so it is JSON, whatever the upstream's
    /// `Content-Type` said).
    var assembled = false
    /// Why a complete success was not stored although the policy allowed it, such as `error-body`.
    var storeRefusal: String?
    /// The name of the upstream that answered.
    var upstream: String?

    var isSuccess: Bool { (200..<300).contains(status) }
}

/// One upstream call shared by every request for the same key: it records what arrives and fans it out,
/// so a participant joining late first receives everything recorded so far, then the rest live.
final class Flight: Sendable {
    private struct Record {
        var events: [FlightEvent] = []
        var subscribers: [Int: AsyncStream<FlightEvent>.Continuation] = [:]
        var nextSubscriber = 0
        var finished = false
        var upstreamCall: BackgroundWork.Handle?
        var started = false
        var cancelled = false
    }

    let key: CacheKey
    private let record = Mutex(Record())

    init(key: CacheKey) {
        self.key = key
    }

    /// The events so far, then live ones, ending after ``FlightEvent/finished(_:)``.
    func subscribe() -> AsyncStream<FlightEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: FlightEvent.self, bufferingPolicy: .unbounded)
        record.withLock { record in
            for event in record.events { continuation.yield(event) }
            if record.finished {
                continuation.finish()
            } else {
                let id = record.nextSubscriber
                record.nextSubscriber += 1
                record.subscribers[id] = continuation
                continuation.onTermination = { [weak self] _ in
                    _ = self?.record.withLock { $0.subscribers.removeValue(forKey: id) }
                }
            }
        }
        return stream
    }

    /// Records `event` and passes it to every subscriber.
    func publish(_ event: FlightEvent) {
        let subscribers = record.withLock { record -> [AsyncStream<FlightEvent>.Continuation] in
            guard !record.finished else { return [] }
            record.events.append(event)
            if case .finished = event { record.finished = true }
            return Array(record.subscribers.values)
        }
        for subscriber in subscribers {
            subscriber.yield(event)
            if case .finished = event { subscriber.finish() }
        }
    }

    /// Starts the upstream call as background work the gateway owns: it runs apart from any one client, so a
    /// leader that disconnects does not take its followers' answer with it, and shutdown waits for it.
    /// - Returns: `false` when the gateway is stopping and takes no more work.
    func start(on work: BackgroundWork, _ operation: @escaping @Sendable () async -> Void) -> Bool {
        let first = record.withLock { record -> Bool in
            defer { record.started = true }
            return !record.started
        }
        guard first else { return true }
        // The work's own task starts the job wherever it runs; the call then moves to the leader's event loop,
        // where the upstream connection and the response are (the loop every miss shared cost 18% of misses
        // per second at 32 connections).
        let loop = MultiThreadedEventLoopGroup.currentEventLoop
        let job: @Sendable () async -> Void = {
            if let loop { await EventLoopAffinity.join(loop) }
            await operation()
        }
        guard let handle = work.submit(job) else { return false }
        let cancelled = record.withLock { record -> Bool in
            record.upstreamCall = handle
            return record.cancelled
        }
        if cancelled { handle.cancel() }
        return true
    }

    /// Cancels the upstream call: nobody is waiting for it.
    func cancelUpstream() {
        record.withLock { record in
            record.cancelled = true
            return record.upstreamCall
        }?.cancel()
    }
}
