import NIOCore
import Synchronization

/// A client's streamed request body on its way upstream: read once, and known to be done with before the
/// server reads the connection again.
///
/// Hummingbird's `RequestBody` allows a single reader at a time; a second one traps in NIO's sequence
/// producer. Two situations would make one:
/// - the HTTP client starts sending the body again (a retry on a pooled connection that closed before the
///   request went out): the second reader gets ``AlreadyRead`` thrown, which fails that one upstream call;
/// - the upstream answers before it has read the whole body, the answer is passed on, and the server then
///   drains the rest of the body to read the connection's next request while the HTTP client is still
///   sending it. ``finishReading()`` prevents that: called once the answer has been written, it waits until
///   the HTTP client has finished with the body (read it to the end, failed, or let go of it) — or, when the
///   client never started reading it, makes sure it never will.
struct SingleUseBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    /// A second attempt to read a body that streams once.
    struct AlreadyRead: Error, CustomStringConvertible {
        var description: String { "the request body was already sent once and cannot be sent again" }
    }

    private let base: Base
    private let claimed = Claim()
    private let reading = ReadingSignal()

    init(_ base: Base) {
        self.base = base
    }

    func makeAsyncIterator() -> Iterator {
        claimed.take() ? Iterator(base: base.makeAsyncIterator(), lease: Lease(reading)) : Iterator(base: nil, lease: nil)
    }

    /// Returns once nobody reads the body any more, nor will: at once if no reader ever claimed it (and now
    /// none can), else when its reader has reached the end, thrown, or been dropped.
    func finishReading() async {
        if claimed.take() { return }
        await reading.ended()
    }

    struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator?
        /// Signals the end of reading when the iterator is done with or dropped.
        let lease: Lease?

        mutating func next() async throws -> ByteBuffer? {
            guard base != nil else { throw AlreadyRead() }
            do {
                let chunk = try await base!.next()
                if chunk == nil { lease?.end() }
                return chunk
            } catch {
                lease?.end()
                throw error
            }
        }
    }

    /// Ends the reading when the iterator that holds it goes away.
    final class Lease: Sendable {
        private let signal: ReadingSignal

        init(_ signal: ReadingSignal) {
            self.signal = signal
        }

        func end() { signal.end() }

        deinit { signal.end() }
    }

    /// Whether the body was handed to a reader.
    private final class Claim: Sendable {
        private let taken = Atomic<Bool>(false)

        /// `true` the first time only.
        func take() -> Bool {
            !taken.exchange(true, ordering: .relaxed)
        }
    }
}

/// The end of a body's reading, which callers can wait for.
final class ReadingSignal: Sendable {
    private let state = Mutex<(ended: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    /// Marks the reading ended and wakes every waiter; later calls do nothing.
    func end() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.ended else { return [] }
            state.ended = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Returns once ``end()`` has been called.
    func ended() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.ended { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }
}
