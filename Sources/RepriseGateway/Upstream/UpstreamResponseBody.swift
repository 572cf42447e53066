import NIOCore

/// The body of a streamed upstream answer: its chunks as they arrive, for one reader.
///
/// Reading applies backpressure: once the reader is more than a few chunks behind, the connection stops
/// reading from its socket until the reader catches up. A reader that stops before the end (its task is
/// cancelled, or it lets go of the sequence) gets the connection closed, not returned to the pool: the
/// rest of the answer would otherwise still be on its way.
struct UpstreamResponseBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    typealias Producer = NIOThrowingAsyncSequenceProducer<
        ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, Delegate
    >

    private let producer: Producer

    /// A body and the source its connection feeds it through.
    static func make(delegate: Delegate) -> (UpstreamResponseBody, Producer.Source) {
        let made = Producer.makeSequence(
            elementType: ByteBuffer.self, failureType: (any Error).self,
            backPressureStrategy: .init(lowWatermark: 2, highWatermark: 16), finishOnDeinit: false, delegate: delegate)
        return (UpstreamResponseBody(producer: made.sequence), made.source)
    }

    private init(producer: Producer) {
        self.producer = producer
    }

    func makeAsyncIterator() -> Iterator {
        Iterator(base: producer.makeAsyncIterator())
    }

    struct Iterator: AsyncIteratorProtocol {
        var base: Producer.AsyncIterator

        mutating func next() async throws -> ByteBuffer? {
            try await base.next()
        }
    }

    /// Tells the connection when the reader wants more, and when it has gone.
    struct Delegate: NIOAsyncSequenceProducerDelegate {
        let onProduceMore: @Sendable () -> Void
        let onTerminate: @Sendable () -> Void

        func produceMore() { onProduceMore() }

        func didTerminate() { onTerminate() }
    }
}
