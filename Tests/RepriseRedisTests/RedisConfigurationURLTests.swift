import NIOCore
import RepriseRedis
import Testing

@Suite struct RedisConfigurationURLTests {
    @Test func standaloneWithEverything() throws {
        let configuration = try RedisConfiguration(url: "rediss://app%40team:p%3Ass@cache.internal:6390/3?prefix=cache:&pool=8&timeout=250ms&connect_timeout=2s&max_entry_bytes=1048576&tls_verify=false&tls_ca=/etc/ca.pem")
        #expect(configuration.topology == .standalone(RedisEndpoint(host: "cache.internal", port: 6390)))
        #expect(configuration.username == "app@team")
        #expect(configuration.password == "p:ss")
        #expect(configuration.database == 3)
        #expect(configuration.tls == RedisTLS(verifiesCertificates: false, certificateAuthorityFile: "/etc/ca.pem"))
        #expect(configuration.keyPrefix == "cache:")
        #expect(configuration.connectionsPerNode == 8)
        #expect(configuration.commandTimeout == .milliseconds(250))
        #expect(configuration.connectTimeout == .seconds(2))
        #expect(configuration.maximumEntryBytes == 1_048_576)
        #expect(!configuration.description.contains("p:ss"), "the description must not show the password")
    }

    @Test func defaults() throws {
        let configuration = try RedisConfiguration(url: "redis://localhost")
        #expect(configuration.topology == .standalone(RedisEndpoint(host: "localhost", port: 6379)))
        #expect(configuration.username == nil && configuration.password == nil)
        #expect(configuration.database == 0 && configuration.tls == nil)
        #expect(configuration.keyPrefix == "reprise:")
        // One connection per event loop of the shared group, so each loop pipelines on its own connection.
        #expect(configuration.connectionsPerNode == NIOSingletons.groupLoopCountSuggestion)
    }

    @Test func passwordWithoutUser() throws {
        #expect(try RedisConfiguration(url: "redis://:secret@h:1").password == "secret")
        #expect(try RedisConfiguration(url: "redis://:secret@h:1").username == nil)
        #expect(try RedisConfiguration(url: "redis://secret@h:1").password == "secret")
    }

    @Test func clusterSeedsAndIPv6() throws {
        let configuration = try RedisConfiguration(url: "rediss+cluster://10.0.0.1:7000,[::1]:7001,node-c")
        #expect(configuration.topology == .cluster(seeds: [
            RedisEndpoint(host: "10.0.0.1", port: 7000), RedisEndpoint(host: "::1", port: 7001),
            RedisEndpoint(host: "node-c", port: 6379),
        ]))
        #expect(configuration.tls == RedisTLS())
    }

    @Test(arguments: [
        ("localhost:6379", "not a Redis URL"),
        ("http://localhost", "Unknown Redis URL scheme 'http'"),
        ("redis://", "empty host"),
        ("redis://h:0", "port '0'"),
        ("redis://h:http", "port 'http'"),
        ("redis://h/x", "database '/x'"),
        ("redis://h/-1", "database '/-1'"),
        ("redis://a:1,b:2", "needs the redis+cluster:// scheme"),
        ("redis+cluster://a:1,b:2/2", "only database 0"),
        ("redis://h?pool=0", "'pool' must be a positive whole number"),
        ("redis://h?timeout=soon", "'timeout' must be a positive duration"),
        ("redis://h?tls_verify=false", "needs TLS"),
        ("rediss://h?tls_verify=maybe", "must be true or false"),
        ("redis://h?colour=blue", "Unknown Redis URL option 'colour'"),
        ("redis://h?prefix=a{b}", "must not contain"),
        ("redis://[::1:6379", "closing ']'"),
        ("redis://u:%zz@h", "invalid percent escape"),
    ])
    func invalidURLsAreExplained(_ url: String, _ expected: String) {
        #expect {
            try RedisConfiguration(url: url)
        } throws: { error in
            (error as? RedisConfigurationError)?.message.contains(expected) == true
        }
    }

    @Test func errorsNeverQuoteThePassword() {
        #expect {
            try RedisConfiguration(url: "user:hunter2@localhost")
        } throws: { error in
            let message = (error as? RedisConfigurationError)?.message ?? ""
            return message.contains("not a Redis URL") && !message.contains("hunter2")
        }
    }
}
