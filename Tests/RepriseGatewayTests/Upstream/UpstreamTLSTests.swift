import NIOCore
import NIOHTTP1
import NIOSSL
import RepriseTesting
import Testing

@testable import RepriseGateway

/// `https://` upstreams: TLS with certificate and host name verification, kept-alive like plain ones.
@Suite struct UpstreamTLSTests {
    static func serverContext() throws -> NIOSSLContext {
        try NIOSSLContext(
            configuration: .makeServerConfiguration(
                certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(TestCertificate.certificatePEM.utf8), format: .pem))],
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(TestCertificate.privateKeyPEM.utf8), format: .pem))))
    }

    static func client(port: Int, trusting: Bool) throws -> UpstreamHTTP1Client {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if trusting {
            configuration.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(TestCertificate.certificatePEM.utf8), format: .pem)])
        }
        return try UpstreamHTTP1Client(
            endpoint: try #require(UpstreamEndpoint(baseURL: "https://localhost:\(port)")), connectTimeout: .seconds(30),
            tlsConfiguration: configuration)
    }

    @Test func anHTTPSUpstreamIsReachedOverTLSAndKeptAlive() async throws {
        let server = try await ScriptedUpstreamServer(tls: Self.serverContext()) { _, _ in
            .send([ScriptedUpstreamServer.answer(#"{"secure":true}"#)])
        }
        let client = try Self.client(port: server.port, trusting: true)
        for _ in 0..<2 {
            let response = try await UpstreamHTTP1ClientTests.send(client)
            #expect(String(buffer: response.body) == #"{"secure":true}"#)
        }
        #expect(server.recorded.accepted == 1)
        #expect(server.recorded.requests.first?.contains("Host: localhost:\(server.port)\r\n") == true)
        client.shutdown()
        await server.stop()
    }

    @Test func anUntrustedCertificateFailsTheRequest() async throws {
        let server = try await ScriptedUpstreamServer(tls: Self.serverContext()) { _, _ in
            .send([ScriptedUpstreamServer.answer(#"{"secure":true}"#)])
        }
        let client = try Self.client(port: server.port, trusting: false)
        await #expect(throws: UpstreamConnectionError.self) { try await UpstreamHTTP1ClientTests.send(client) }
        #expect(server.recorded.requests.isEmpty)
        client.shutdown()
        await server.stop()
    }
}
