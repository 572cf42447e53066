import Reprise
import RepriseTesting
import Testing

@testable import RepriseRedis

@Suite(.enabled(if: RedisTestServers.tlsURL != nil && RedisTestServers.untrustedTLSURL != nil, RedisTestServers.tlsMissing))
struct RedisTLSTests {
    let closer = StoreCloser()

    private func roundTrip(_ configuration: RedisConfiguration) async throws {
        let clock = ManualClock()
        let store = closer.track(try RedisCacheStore(configuration: configuration, clock: clock))
        let entry = RedisTestServers.entry(clock, body: "over TLS")
        try await store.setEntry(entry, for: RedisTestServers.key("tls"))
        #expect(try await store.entry(for: RedisTestServers.key("tls")) == entry)
    }

    @Test func verifiedConnectionWithTheServersAuthority() async throws {
        let configuration = try RedisTestServers.configuration(RedisTestServers.tlsURL)
        #expect(configuration.tls?.verifiesCertificates == true)
        try await roundTrip(configuration)
    }

    @Test func untrustedCertificateIsRefusedByDefault() async throws {
        let store = closer.track(try RedisCacheStore(
            configuration: RedisTestServers.configuration(RedisTestServers.untrustedTLSURL), clock: ManualClock()))
        let error = await #expect(throws: RedisError.self) { try await store.entry(for: RedisTestServers.key("tls")) }
        #expect(error?.code == .connectionFailed, "got \(String(describing: error))")
        #expect(error?.message.contains("tls_ca") == true, "the error should point at the TLS settings: \(String(describing: error))")
    }

    @Test func verificationCanBeTurnedOff() async throws {
        try await roundTrip(RedisTestServers.configuration(RedisTestServers.untrustedTLSURL! + "?tls_verify=false"))
    }
}
