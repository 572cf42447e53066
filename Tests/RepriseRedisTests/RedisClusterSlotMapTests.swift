import NIOCore
import Testing

@testable import RepriseRedis

@Suite struct RedisClusterSlotMapTests {
    private let replying = RedisEndpoint(host: "10.0.0.9", port: 7000)

    private func text(_ value: String) -> RESPValue { .bulkString(ByteBuffer(string: value)) }

    private func node(ip: String, port: Int64, role: String, health: String = "online") -> RESPValue {
        .array([
            text("id"), text("abc"), text("port"), .integer(port), text("ip"), text(ip), text("endpoint"), text(ip),
            text("role"), text(role), text("replication-offset"), .integer(0), text("health"), text(health),
        ])
    }

    @Test func shardsReplyMapsSlotsToOnlinePrimaries() throws {
        let reply = RESPValue.array([
            .array([text("slots"), .array([.integer(0), .integer(5460), .integer(10923), .integer(10999)]),
                    text("nodes"), .array([node(ip: "10.0.0.2", port: 7002, role: "replica"), node(ip: "10.0.0.1", port: 7001, role: "master")])]),
            .map([(text("slots"), .array([.integer(5461), .integer(10922), .integer(11000), .integer(16383)])),
                  (text("nodes"), .array([node(ip: "?", port: 7003, role: "master")]))]),
        ])
        let map = try RedisClusterSlotMap.fromShards(reply, replyingNode: replying, usesTLS: false)
        #expect(map.endpoint(for: 0) == RedisEndpoint(host: "10.0.0.1", port: 7001))
        #expect(map.endpoint(for: 10950) == RedisEndpoint(host: "10.0.0.1", port: 7001))
        // A node announcing no address is reached on the host that answered.
        #expect(map.endpoint(for: 5461) == RedisEndpoint(host: "10.0.0.9", port: 7003))
        #expect(map.endpoint(for: 16383) == RedisEndpoint(host: "10.0.0.9", port: 7003))
        #expect(map.coversEverySlot)
    }

    @Test func slotsReplyIsTheFallback() throws {
        let reply = RESPValue.array([
            .array([.integer(0), .integer(99), .array([text("10.0.0.1"), .integer(7001), text("id1")]), .array([text("10.0.0.2"), .integer(7002)])]),
            .array([.integer(100), .integer(16383), .array([text(""), .integer(7003)])]),
        ])
        let map = try RedisClusterSlotMap.fromSlots(reply, replyingNode: replying)
        #expect(map.endpoint(for: 99) == RedisEndpoint(host: "10.0.0.1", port: 7001))
        #expect(map.endpoint(for: 100) == RedisEndpoint(host: "10.0.0.9", port: 7003))
    }

    @Test func malformedTopologyRepliesAreProtocolErrors() {
        #expect(throws: RedisError.self) { try RedisClusterSlotMap.fromShards(.integer(1), replyingNode: replying, usesTLS: false) }
        #expect(throws: RedisError.self) { try RedisClusterSlotMap.fromShards(.array([.array([text("slots")])]), replyingNode: replying, usesTLS: false) }
        #expect(throws: RedisError.self) { try RedisClusterSlotMap.fromSlots(.array([.array([.integer(0)])]), replyingNode: replying) }
    }

    @Test func redirectsAreRead() {
        let node = RedisEndpoint(host: "127.0.0.1", port: 7000)
        #expect(RedisClusterClient.redirect(in: [.error("MOVED 3999 127.0.0.1:6381")], from: node)
            == .moved(slot: 3999, RedisEndpoint(host: "127.0.0.1", port: 6381)))
        #expect(RedisClusterClient.redirect(in: [.integer(1), .error("ASK 12182 [::1]:7002")], from: node)
            == .ask(slot: 12182, RedisEndpoint(host: "::1", port: 7002)))
        #expect(RedisClusterClient.redirect(in: [.error("MOVED 5 :7005")], from: node)
            == .moved(slot: 5, RedisEndpoint(host: "127.0.0.1", port: 7005)))
        #expect(RedisClusterClient.redirect(in: [.error("ERR MOVED nothing")], from: node) == nil)
        #expect(RedisClusterClient.redirect(in: [.error("MOVED 99999 h:1")], from: node) == nil)
        #expect(RedisClusterClient.redirect(in: [.simpleString("MOVED 1 h:1")], from: node) == nil)
    }
}
