import NIOCore
import Synchronization

/// A request body that can be read once, and says so when read again instead of crashing.
///
/// A client's streamed body (Hummingbird's `RequestBody`) allows a single reader; a second iterator
/// over it traps in NIO's sequence producer. The HTTP client may start sending a body again (a retry on
/// a pooled connection that closed before the request went out), so a forwarded stream is wrapped: the
/// second reader gets ``AlreadyRead`` thrown, which fails that one upstream call cleanly.
struct SingleUseBody<Base: AsyncSequence & Sendable>: AsyncSequence, Sendable where Base.Element == ByteBuffer {
    typealias Element = ByteBuffer

    /// A second attempt to read a body that streams once.
    struct AlreadyRead: Error, CustomStringConvertible {
        var description: String { "the request body was already sent once and cannot be sent again" }
    }

    private let base: Base
    private let claimed = Claim()

    init(_ base: Base) {
        self.base = base
    }

    func makeAsyncIterator() -> Iterator {
        claimed.take() ? Iterator(base: base.makeAsyncIterator()) : Iterator(base: nil)
    }

    struct Iterator: AsyncIteratorProtocol {
        var base: Base.AsyncIterator?

        mutating func next() async throws -> ByteBuffer? {
            guard base != nil else { throw AlreadyRead() }
            return try await base!.next()
        }
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
