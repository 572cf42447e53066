import Testing

@testable import RepriseRedis

@Suite struct RedisHashSlotTests {
    @Test func crc16MatchesTheXmodemCheckValue() {
        #expect(RedisHashSlot.crc16(Array("123456789".utf8)) == 0x31C3)
    }

    @Test(arguments: [("foo", 12182), ("bar", 5061), ("hello", 866), ("", 0), ("user1000", 3443)])
    func knownSlots(_ key: String, _ slot: Int) {
        #expect(RedisHashSlot.slot(for: key) == slot)
    }

    @Test func hashTagsShareASlot() {
        #expect(RedisHashSlot.slot(for: "{user1000}.following") == RedisHashSlot.slot(for: "{user1000}.followers"))
        #expect(RedisHashSlot.slot(for: "{user1000}.following") == RedisHashSlot.slot(for: "user1000"))
        #expect(RedisHashSlot.slot(for: "reprise:{r7}e:abc") == RedisHashSlot.slot(for: "other:{r7}all"))
    }

    @Test func emptyOrUnclosedTagsHashTheWholeKey() {
        #expect(RedisHashSlot.slot(for: "foo{}{bar}") == Int(RedisHashSlot.crc16(Array("foo{}{bar}".utf8)) % 16384))
        #expect(RedisHashSlot.slot(for: "foo{bar") == Int(RedisHashSlot.crc16(Array("foo{bar".utf8)) % 16384))
        // Only the first tag counts.
        #expect(RedisHashSlot.slot(for: "foo{{bar}}zap") == RedisHashSlot.slot(for: "{bar"))
        #expect(RedisHashSlot.slot(for: "foo{bar}{zap}") == RedisHashSlot.slot(for: "bar"))
    }
}
