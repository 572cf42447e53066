import HTTPTypes
import Metrics
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

@testable import RepriseGateway

/// The connection guard on an embedded channel, its clock advanced by hand: each deadline closes the
/// connection exactly when it passes, and never while the application answers.
@Suite struct ConnectionGuardTests {
    static let limits = ConnectionLimits(headTimeout: .seconds(10), bodyTimeout: .seconds(60), idleTimeout: .seconds(30), maximumConnections: 8)

    final class Fixture {
        let loop = EmbeddedEventLoop()
        let channel: EmbeddedChannel
        let connectionGuard: ConnectionGuard
        let registry = ConnectionRegistry(maximum: 8)

        init(check: @escaping @Sendable (HTTPRequest) -> ConnectionGuard.Verdict = { _ in .proceed }) throws {
            channel = EmbeddedChannel(loop: loop)
            connectionGuard = ConnectionGuard(
                limits: ConnectionGuardTests.limits, registry: registry, metrics: ConnectionMetrics(factory: NOOPMetricsHandler.instance),
                check: check)
            _ = registry.admit(channel)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
            try channel.pipeline.syncOperations.addHandler(connectionGuard)
        }

        var isOpen: Bool { channel.isActive }

        func advance(seconds: Int64) {
            loop.advanceTime(by: .seconds(seconds))
        }

        func send(_ part: HTTPRequestPart) throws {
            try channel.writeInbound(part)
        }

        func answer() throws {
            try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
            try channel.writeOutbound(HTTPResponsePart.end(nil))
        }

        /// The response of a response head part, or `nil` for any other part.
        static func response(_ part: HTTPResponsePart?) -> HTTPResponse? {
            if case .head(let response) = part { return response }
            return nil
        }

        static func head(_ fields: HTTPFields = [:]) -> HTTPRequestPart {
            .head(HTTPRequest(method: .post, scheme: "http", authority: "gateway", path: "/v1/chat/completions", headerFields: fields))
        }
    }

    @Test func aConnectionThatSendsNoHeadIsClosedAtTheHeadTimeout() throws {
        let fixture = try Fixture()
        fixture.advance(seconds: 9)
        #expect(fixture.isOpen)
        fixture.advance(seconds: 2)
        #expect(!fixture.isOpen)
    }

    @Test func aBodyThatDoesNotArriveInTimeClosesTheConnection() throws {
        let fixture = try Fixture()
        try fixture.send(Fixture.head())
        fixture.advance(seconds: 59)
        #expect(fixture.isOpen, "the head timeout no longer applies once the head has arrived")
        try fixture.send(.body(ByteBuffer(string: "{")))
        fixture.advance(seconds: 2)
        #expect(!fixture.isOpen, "a body trickling in does not move the deadline")
    }

    @Test func aConnectionIsNeverClosedWhileItsRequestIsAnswered() throws {
        let fixture = try Fixture()
        try fixture.send(Fixture.head())
        try fixture.send(.end(nil))
        fixture.advance(seconds: 3600)
        #expect(fixture.isOpen)
        try fixture.answer()
        fixture.advance(seconds: 29)
        #expect(fixture.isOpen)
        fixture.advance(seconds: 2)
        #expect(!fixture.isOpen, "idle for the idle timeout after the answer")
    }

    @Test func aNextRequestStartedOnAKeptAliveConnectionMustFinishItsHeadInTime() throws {
        let fixture = try Fixture()
        try fixture.send(Fixture.head())
        try fixture.send(.end(nil))
        try fixture.answer()
        fixture.advance(seconds: 20)
        fixture.connectionGuard.bytesArrived()
        fixture.advance(seconds: 9)
        #expect(fixture.isOpen)
        fixture.advance(seconds: 2)
        #expect(!fixture.isOpen, "a slow head is closed 10 s after its first byte, before the idle timeout")
    }

    @Test func expectContinueIsAnsweredBeforeTheBodyIsRead() throws {
        let fixture = try Fixture()
        try fixture.send(Fixture.head([.expect: "100-continue", .contentLength: "5"]))
        let interim = try #require(try fixture.channel.readOutbound(as: HTTPResponsePart.self))
        #expect(Fixture.response(interim)?.status == .continue)
        #expect(try fixture.channel.readInbound(as: HTTPRequestPart.self) != nil, "the request still reaches the application")
    }

    @Test func aRefusedHeadIsAnsweredAndClosedWithoutReachingTheApplication() throws {
        let fixture = try Fixture { _ in .refuse(HTTPResponse(status: .contentTooLarge), ByteBuffer(string: #"{"error":{}}"#)) }
        try fixture.send(Fixture.head([.contentLength: "999999999"]))
        try fixture.send(.body(ByteBuffer(string: "ignored")))
        #expect(try fixture.channel.readInbound(as: HTTPRequestPart.self) == nil)
        let response = try #require(Fixture.response(try fixture.channel.readOutbound(as: HTTPResponsePart.self)))
        #expect(response.status == .contentTooLarge)
        #expect(response.headerFields[.connection] == "close")
        #expect(!fixture.isOpen)
    }
}

/// Admission at the connection limit: idle connections make room, busy ones do not.
@Suite struct ConnectionRegistryTests {
    @Test func theLongestIdleConnectionMakesRoom() throws {
        let registry = ConnectionRegistry(maximum: 2)
        let loop = EmbeddedEventLoop()
        let first = EmbeddedChannel(loop: loop), second = EmbeddedChannel(loop: loop), third = EmbeddedChannel(loop: loop)
        for channel in [first, second, third] { try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait() }
        let start = NIODeadline.now()
        #expect(registry.admit(first, now: start) == .admitted)
        #expect(registry.admit(second, now: start + .seconds(1)) == .admitted)
        #expect(registry.admit(third, now: start + .seconds(2)) == .admittedEvicting(ObjectIdentifier(first)))
        #expect(!first.isActive)
        #expect(second.isActive)
        #expect(registry.count == 2)
    }

    @Test func busyConnectionsAreNeverEvicted() throws {
        let registry = ConnectionRegistry(maximum: 1)
        let loop = EmbeddedEventLoop()
        let busy = EmbeddedChannel(loop: loop), late = EmbeddedChannel(loop: loop)
        for channel in [busy, late] { try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait() }
        #expect(registry.admit(busy) == .admitted)
        registry.setIdle(false, busy)
        #expect(registry.admit(late) == .refused)
        #expect(busy.isActive)
        registry.remove(busy)
        #expect(registry.admit(late) == .admitted)
    }

    @Test(arguments: [(256, 96), (1024, 480), (64, 16), (1 << 20, 10_000)])
    func theDefaultLimitLeavesDescriptorsForUpstreamConnections(_ descriptors: Int, _ expected: Int) {
        #expect(ConnectionLimits.defaultMaximumConnections(descriptorLimit: descriptors) == expected)
    }
}
